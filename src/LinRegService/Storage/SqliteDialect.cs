using System.Collections.Concurrent;
using System.Data;
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

    /// <summary>Open connections not in use, each with its statements kept prepared (<see cref="KeptConnection"/>).</summary>
    private readonly ConcurrentBag<KeptConnection> _idle = [];

    /// <summary>At most this many stay open idle (each holds SQLite's page cache): a burst of readers' extra ones close.</summary>
    private const int MaxIdle = 16;

    private int _idleCount;

    /// <summary>Orders a connection handed back against the dialect's disposal, so none is kept after it.</summary>
    private readonly Lock _gate = new();

    private bool _disposed;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out KeptConnection? idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }
        var connection = new KeptConnection(connectionString, GiveBack);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per connection: cascade deletes to epoch losses; fsync at checkpoints only (a process crash loses nothing).
            // Another process on the same file (a second host in tests) waits in SQLite's own short sleeps.
            await ExecuteAsync(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;", cancellationToken);
            return connection;
        }
        catch
        {
            connection.Close();
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await base.WriteAsync(work, cancellationToken); // the connection goes back before the turn passes
        }
        finally
        {
            _writer.Release();
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

    public override Task ChangedAsync(string id, bool queued, CancellationToken cancellationToken)
    {
        changes?.JobChanged(id);
        return Task.CompletedTask;
    }

    /// <summary>Where a disposed connection goes: back among the idle ones, unless the dialect is gone or enough are idle.</summary>
    private bool GiveBack(KeptConnection connection)
    {
        lock (_gate)
        {
            if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
            {
                Interlocked.Decrement(ref _idleCount);
                return false;
            }
            _idle.Add(connection);
            return true;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        while (_idle.TryTake(out KeptConnection? connection))
        {
            await connection.DisposeAsync(); // not given back: the dialect is disposed
        }
        _writer.Dispose();
    }
}

/// <summary>
/// A connection that stays open for the dialect's life and keeps every command it has run, so
/// each statement is parsed once per connection. Microsoft.Data.Sqlite has no statement cache
/// (dotnet/efcore#14044): a statement lives as long as its <see cref="SqliteCommand"/>, and the
/// pool keeps connections but not their commands, so every call parsed its SQL again. Disposing
/// it hands it back (with its commands) to the dialect instead of closing it.
/// </summary>
internal sealed class KeptConnection(string connectionString, Func<KeptConnection, bool> giveBack) : SqliteConnection(connectionString)
{
    private const int MaxKept = 64;

    private readonly Dictionary<string, KeptCommand> _commands = new(StringComparer.Ordinal);
    private long _uses;

    /// <summary>
    /// The command kept for <paramref name="sql"/> (prepared at its first run), its parameters cleared,
    /// in the open transaction. At most 64 are kept: a new statement past that replaces the least
    /// recently used (texts that vary, such as a multi-row insert of losses or an IN list of a page's
    /// ids, would otherwise fill the connection and leave the hot statements unprepared).
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out KeptCommand? command))
        {
            if (_commands.Count >= MaxKept)
            {
                KeptCommand stalest = _commands.Values.MinBy(kept => kept.LastUse)!;
                _commands.Remove(stalest.CommandText);
                stalest.Release();
            }
            _commands[sql] = command = new KeptCommand { Connection = this, CommandText = sql };
        }
        command.LastUse = ++_uses;
        command.Parameters.Clear();
        command.Transaction = Transaction; // as CreateCommand does: SQLite checks that a command runs in the connection's transaction
        return command;
    }

    /// <summary>Handed back open, outside any transaction, while the dialect lives; else closed.</summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || State != ConnectionState.Open || Transaction is not null || !giveBack(this))
        {
            base.Dispose(disposing);
        }
    }

    public override void Close()
    {
        foreach (KeptCommand command in _commands.Values)
        {
            command.Release();
        }
        _commands.Clear();
        base.Close();
    }

    /// <summary>A command whose callers' disposing keeps it (and its prepared statement); only its connection releases it.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        private bool _released;

        /// <summary>When it was last handed out, in the connection's count of uses.</summary>
        public long LastUse { get; set; }

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
            }
        }
    }
}
