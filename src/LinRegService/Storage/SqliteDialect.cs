using System.Data.Common;
using Microsoft.Data.Sqlite;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode that one process owns. Writers of this process
/// take turns on an async lock before they touch SQLite's, so rows need no locks, and every change
/// is told in-process to <paramref name="changes"/> (the event streams).
/// </summary>
public sealed class SqliteDialect(string connectionString, IJobChangeSink? changes = null) : SqlDialect(_traits)
{
    /// <summary>One writer, so no row locks; an INTEGER PRIMARY KEY is the rowid; losses are stored by their key alone.</summary>
    private static readonly DialectTraits _traits = new(
        IsShared: false, SkipLocked: "", ForUpdate: "", MigrationsFolder: "sqlite",
        Identity: "INTEGER PRIMARY KEY AUTOINCREMENT", WithoutRowId: " WITHOUT ROWID", Blob: "BLOB");

    /// <summary>
    /// SQLite lets one writer in at a time, and Microsoft.Data.Sqlite answers a busy database by
    /// sleeping before it retries: with submissions and workers writing at once, those sleeps
    /// held throughput near 190 book-run jobs/s. Writers of this process queue here instead.
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: cascade deletes to epoch losses; fsync at checkpoints only (a process crash loses nothing).
        // Another process on the same file (a second host in tests) waits in SQLite's own short sleeps.
        await ExecuteAsync(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;", cancellationToken);
        return connection;
    }

    public override async Task<Writer> OpenWriterAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return new Writer(await OpenAsync(cancellationToken), () => _writer.Release());
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using DbConnection connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
    }

    /// <summary>The migration's transaction holds SQLite's write lock already.</summary>
    public override Task LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task ChangedAsync(string id, bool queued, CancellationToken cancellationToken)
    {
        changes?.JobChanged(id);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
