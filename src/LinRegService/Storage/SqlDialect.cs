using System.Data.Common;

namespace LinRegService.Storage;

/// <summary>
/// What one SQL engine does differently, and nothing else: how to open a connection (and take
/// SQLite's writer turn), how a claim locks a row, what follows a change (PostgreSQL's NOTIFY or
/// an in-process signal), how replicas hear each other, and the migrations in the engine's own
/// DDL. <see cref="SqlJobStore"/> holds every statement, written once with <c>@name</c> parameters,
/// which both engines accept.
/// </summary>
public abstract class SqlDialect(DialectTraits traits) : IAsyncDisposable
{
    /// <summary>What the engine's SQL says differently: row locks, the migrations' folder and DDL words, whether replicas share it.</summary>
    public DialectTraits Traits => traits;

    /// <summary>The engine's words for the <c>{{word}}</c>s of the shared migration scripts.</summary>
    public IReadOnlyDictionary<string, string> DdlWords { get; } = new Dictionary<string, string>
    {
        ["identity"] = traits.Identity,
        ["without_rowid"] = traits.WithoutRowId,
        ["blob"] = traits.Blob,
    };

    /// <summary>A connection for reading.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a write connection, holding whatever turn the engine needs until it returns.</summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>Before migrating, outside any transaction: what the database itself needs (a folder, a journal mode).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Inside the migration transaction, before anything is read: keeps replicas from migrating at once. SQLite's transaction already holds the write lock.</summary>
    public virtual Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Inside a transaction, before the queue is counted for an insert: keeps two submissions from
    /// both seeing room for one more. SQLite's writer turn already does.
    /// </summary>
    public virtual Task LockQueueAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After a committed change to job <paramref name="id"/>; <paramref name="queued"/> when it is new work for any worker.</summary>
    public abstract Task ChangedAsync(string id, bool queued, CancellationToken cancellationToken);

    /// <summary>Hears other replicas until canceled: new work and changed jobs. Returns at once for a store no other process uses.</summary>
    public virtual Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();
}

/// <summary>What a listening store tells: work was queued, a job changed, or notices may have been missed.</summary>
public interface IStoreListener
{
    void WorkQueued();

    void JobChanged(string id);

    /// <summary>The listening connection was (re)established: anything may have happened meanwhile.</summary>
    void Reconnected();
}

/// <summary>What an engine's SQL says differently, in one place per engine.</summary>
/// <param name="IsShared">Several processes share the database (replicas), and so can hear each other's changes.</param>
/// <param name="SkipLocked">Appended to the claim's row choice: PostgreSQL skips rows another replica is claiming; SQLite has one writer.</param>
/// <param name="ForUpdate">Appended to a read that decides a transition: PostgreSQL locks the row; SQLite's writer turn already holds the file.</param>
/// <param name="MigrationsFolder">The folder of the engine's own migration parts.</param>
/// <param name="Identity">The DDL of an auto-numbered primary key column.</param>
/// <param name="WithoutRowId">Appended to a table stored by its key alone.</param>
/// <param name="Blob">The column type of raw bytes.</param>
public sealed record DialectTraits(bool IsShared, string SkipLocked, string ForUpdate, string MigrationsFolder, string Identity, string WithoutRowId, string Blob);
