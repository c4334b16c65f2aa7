using System.Data.Common;
using Npgsql;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The shared engine for several replicas: one PostgreSQL database. A claim locks the oldest
/// claimable row with <c>FOR UPDATE SKIP LOCKED</c>, so replicas never claim one job and never wait
/// on each other's claims; cancel and delete lock the job's row before they decide. Triggers (see
/// the first migration) announce every change on <see cref="ChangeChannel"/>; new work is announced
/// on <see cref="WakeChannel"/>.
/// </summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect(_traits)
{
    /// <summary>Replicas share the database: claims skip rows others are claiming, transitions lock their row.</summary>
    private static readonly DialectTraits _traits = new(
        IsShared: true, SkipLocked: " FOR UPDATE SKIP LOCKED", ForUpdate: " FOR UPDATE", MigrationsFolder: "postgres",
        Identity: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", WithoutRowId: "", Blob: "bytea");

    /// <summary>The channel on which a queued job wakes idle workers of every replica.</summary>
    public const string WakeChannel = "linreg_jobs";

    /// <summary>The channel on which every change of a job is announced, the payload being its id.</summary>
    public const string ChangeChannel = "linreg_job_changes";

    /// <summary>Key of the advisory lock that serializes migrations across replicas ("LinRegS1").</summary>
    private const long MigrationLockKey = 0x4C696E5265675331;

    /// <summary>Key of the advisory lock that serializes counting the queue with adding to it ("LinRegQ1").</summary>
    private const long QueueLockKey = 0x4C696E5265675131;

    /// <summary>Connections beyond one per worker: the LISTEN connection, HTTP requests, the readiness check.</summary>
    public const int SpareConnections = 8;

    private static readonly string[] _poolSizeKeys = ["Maximum Pool Size", "MaxPoolSize"];

    private static readonly string[] _autoPrepareKeys = ["Max Auto Prepare", "MaxAutoPrepare"];

    /// <summary>
    /// Statements prepared once per physical connection, unless the connection string says otherwise:
    /// Npgsql prepares a statement after its 5th use (Auto Prepare Min Usages) and keeps it across
    /// pooled opens, so the store's fixed statements are parsed and planned once per connection.
    /// </summary>
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(
        _autoPrepareKeys.Any(new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString);

    /// <summary>
    /// Sizes a replica's pool to what it uses, unless the connection string says otherwise: Npgsql's
    /// default of 100 per process would let two busy replicas exhaust PostgreSQL's default of 100.
    /// </summary>
    public static string SizedPool(string connectionString, int workers) =>
        _poolSizeKeys.Any(new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = workers + SpareConnections }.ConnectionString;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Held until the migration commits; CREATE … IF NOT EXISTS alone races between sessions.</summary>
    public override async Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", MigrationLockKey));

    /// <summary>Held until the insert commits, so the next submission counts the queue with this job in it.</summary>
    public override async Task LockQueueAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", QueueLockKey));

    /// <summary>Changes are announced by the triggers; new work also wakes idle workers on every replica.</summary>
    public override async Task ChangedAsync(string id, bool queued, CancellationToken cancellationToken)
    {
        if (queued)
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await ExecuteAsync(connection, $"NOTIFY {WakeChannel};", cancellationToken);
        }
    }

    public override async Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, notice) =>
        {
            if (notice.Channel == ChangeChannel)
            {
                listener.JobChanged(notice.Payload);
            }
            else
            {
                listener.WorkQueued();
            }
        };
        await ExecuteAsync(connection, $"LISTEN {WakeChannel}; LISTEN {ChangeChannel};", cancellationToken);
        listener.Reconnected();
        while (!cancellationToken.IsCancellationRequested)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
