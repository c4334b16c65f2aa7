using System.Data.Common;
using LinRegService.Contracts;
using Microsoft.Data.Sqlite;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writers in this process take turns on an
/// async lock before they touch SQLite's (see <see cref="OpenWriterAsync"/>), and every
/// transition is a single statement or an immediate transaction, so several workers in one
/// process never claim the same job. One process owns the file, so every change is told to
/// <paramref name="changes"/> in-process.
/// </summary>
public sealed class SqliteJobStore(string connectionString, IJobChangeSink? changes = null) : IJobStore, IDisposable
{
    private const string FinishedStatuses = "('succeeded', 'failed', 'canceled')";

    /// <summary>
    /// SQLite lets one writer in at a time, and Microsoft.Data.Sqlite answers a busy database by
    /// sleeping before it retries: with submissions and workers writing at once, those sleeps
    /// held throughput near 190 book-run jobs/s. Writers of this process queue here instead.
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>One process owns the file.</summary>
    public bool IsShared => false;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS jobs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                request TEXT NOT NULL,
                warm_start TEXT,
                result TEXT,
                samples TEXT,
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                idempotency_key TEXT UNIQUE,
                request_hash TEXT,
                lease_owner TEXT,
                lease_until INTEGER
            );
            CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq);
            CREATE TABLE IF NOT EXISTS epoch_losses (
                job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                epoch INTEGER NOT NULL,
                loss REAL NOT NULL,
                PRIMARY KEY (job_id, epoch)
            ) WITHOUT ROWID;
            """, cancellationToken);
        // Files made before leases existed get the two columns.
        await using DbCommand columns = Command(connection, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'lease_owner';");
        if (Convert.ToInt64(await columns.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await ExecuteAsync(connection, "ALTER TABLE jobs ADD COLUMN lease_owner TEXT; ALTER TABLE jobs ADD COLUMN lease_until INTEGER;", cancellationToken);
        }
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*) FROM jobs WHERE 0;");
        await command.ExecuteScalarAsync(cancellationToken);
        return true;
    }

    public async Task<JobRecord> AddAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbCommand command = Command(connection, """
            INSERT INTO jobs (id, status, created_at, request, warm_start, samples, attempts, idempotency_key, request_hash)
            VALUES ($id, 'queued', $created, $request, $warm, $samples, 0, $key, $hash)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING seq;
            """,
            ("$id", job.Id), ("$created", job.CreatedAt.ToUnixTimeMilliseconds()),
            ("$request", StoreJson.Serialize(job.Request)), ("$warm", StoreJson.Serialize(job.WarmStart)),
            ("$samples", StoreJson.Serialize(job.Samples)), ("$key", job.IdempotencyKey), ("$hash", job.RequestHash));
        object? sequence = await command.ExecuteScalarAsync(cancellationToken);
        if (sequence is long seq)
        {
            return job with { Sequence = seq, Status = JobStatus.Queued, Attempts = 0 };
        }
        return await FindByIdempotencyKeyAsync(job.IdempotencyKey!, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency key conflicted but its job is gone.");
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM jobs WHERE id = $id;", cancellationToken, ("$id", id));

    public Task<JobRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM jobs WHERE idempotency_key = $key;", cancellationToken, ("$key", key));

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {Columns} FROM jobs
            WHERE ($status IS NULL OR status = $status) AND ($before IS NULL OR seq < $before)
            ORDER BY seq DESC LIMIT $take;
            """,
            ("$status", status is { } s ? StatusText.Of(s) : null), ("$before", before), ("$take", limit + 1));
        List<JobRecord> items = await ReadAllAsync(connection, command, cancellationToken);
        long? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = items[^1].Sequence;
        }
        return new JobPage(items, next);
    }

    public async Task<int> CountQueuedAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*) FROM jobs WHERE status = 'queued';");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<JobRecord?> ClaimNextAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        long at = now.ToUnixTimeMilliseconds();
        await ExecuteAsync(connection, LeaseSql.EndLapsed, cancellationToken, ("$now", at), ("$max", lease.MaxAttempts));
        await using DbCommand claim = Command(connection, $"""
            UPDATE jobs SET status = 'running', started_at = $now, attempts = attempts + 1, lease_owner = $owner, lease_until = $until
            WHERE seq = (SELECT seq FROM jobs WHERE {LeaseSql.Claimable} ORDER BY seq LIMIT 1)
            RETURNING {Columns};
            """, ("$now", at), ("$owner", lease.Owner), ("$until", (now + lease.Duration).ToUnixTimeMilliseconds()));
        List<JobRecord> claimed = await ReadAllAsync(connection, claim, cancellationToken, withLosses: false);
        if (claimed.Count > 0)
        {
            // A rerun starts from epoch 1: progress of an earlier attempt goes.
            await using DbCommand reset = Command(connection, "DELETE FROM epoch_losses WHERE job_id = $id;", ("$id", claimed[0].Id));
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return null;
        }
        changes?.JobChanged(claimed[0].Id);
        return claimed[0];
    }

    public async Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbCommand command = Command(connection, LeaseSql.Renew,
            ("$id", id), ("$owner", owner), ("$until", until.ToUnixTimeMilliseconds()));
        return await command.ExecuteScalarAsync(cancellationToken) is string status ? StatusText.Parse(status) : null;
    }

    public async Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using DbCommand insert = Command(connection,
            "INSERT OR REPLACE INTO epoch_losses (job_id, epoch, loss) VALUES ($id, $epoch, $loss);",
            ("$id", id), ("$epoch", 0), ("$loss", 0.0));
        for (int i = 0; i < losses.Count; i++)
        {
            insert.Parameters["$epoch"].Value = firstEpoch + i;
            insert.Parameters["$loss"].Value = losses[i];
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        changes?.JobChanged(id);
    }

    public async Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbCommand command = Command(connection, """
            UPDATE jobs SET status = $status, result = $result, error = $error, finished_at = $now, lease_owner = NULL, lease_until = NULL
            WHERE id = $id AND status IN ('running', 'canceling');
            """,
            ("$id", id), ("$status", StatusText.Of(status)), ("$result", StoreJson.Serialize(result)),
            ("$error", errorMessage), ("$now", now.ToUnixTimeMilliseconds()));
        bool finished = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (finished)
        {
            changes?.JobChanged(id);
        }
        return finished;
    }

    public async Task RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbCommand command = Command(connection, """
            UPDATE jobs SET
                status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'queued' END,
                finished_at = CASE status WHEN 'canceling' THEN $now ELSE NULL END,
                attempts = CASE status WHEN 'canceling' THEN attempts ELSE attempts - 1 END,
                lease_owner = NULL, lease_until = NULL
            WHERE id = $id AND status IN ('running', 'canceling');
            """, ("$id", id), ("$now", now.ToUnixTimeMilliseconds()));
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            changes?.JobChanged(id);
        }
    }

    public async Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        JobStatus? current = await StatusOfAsync(connection, id, cancellationToken);
        (TransitionOutcome, JobStatus?) outcome = current switch
        {
            null => (TransitionOutcome.NotFound, null),
            JobStatus.Queued => (TransitionOutcome.Done, JobStatus.Canceled),
            JobStatus.Running or JobStatus.Canceling => (TransitionOutcome.Done, JobStatus.Canceling),
            _ => (TransitionOutcome.Conflict, current),
        };
        if (outcome.Item1 == TransitionOutcome.Done && outcome.Item2 != current)
        {
            await using DbCommand update = Command(connection, """
                UPDATE jobs SET status = $status, finished_at = CASE $status WHEN 'canceled' THEN $now ELSE finished_at END
                WHERE id = $id;
                """, ("$id", id), ("$status", StatusText.Of(outcome.Item2!.Value)), ("$now", now.ToUnixTimeMilliseconds()));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (outcome.Item1 == TransitionOutcome.Done && outcome.Item2 != current)
        {
            changes?.JobChanged(id);
        }
        return outcome;
    }

    public async Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        JobStatus? current = await StatusOfAsync(connection, id, cancellationToken);
        if (current is null)
        {
            return TransitionOutcome.NotFound;
        }
        if (!current.Value.IsFinished())
        {
            return TransitionOutcome.Conflict;
        }
        await using DbCommand delete = Command(connection, "DELETE FROM jobs WHERE id = $id;", ("$id", id));
        await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TransitionOutcome.Done;
    }

    public async Task<RecoveryReport> RecoverAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        long at = now.ToUnixTimeMilliseconds();
        int canceled = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'canceled', finished_at = $now WHERE status = 'canceling';", cancellationToken, ("$now", at));
        int failed = await ExecuteAsync(connection, """
            UPDATE jobs SET status = 'failed', finished_at = $now,
                error = 'The job was interrupted ' || attempts || ' times (the service stopped while it ran); it is not retried again.'
            WHERE status = 'running' AND attempts >= $max;
            """, cancellationToken, ("$now", at), ("$max", maxAttempts));
        int requeued = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'queued' WHERE status = 'running';", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecoveryReport(requeued, failed, canceled);
    }

    public async Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using WriteScope scope = await OpenWriterAsync(cancellationToken);
        SqliteConnection connection = scope.Connection;
        return await ExecuteAsync(connection,
            $"DELETE FROM jobs WHERE status IN {FinishedStatuses} AND finished_at < $cutoff;",
            cancellationToken, ("$cutoff", cutoff.ToUnixTimeMilliseconds()));
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>A connection for writing, held with the process's writer turn until disposed.</summary>
    private async Task<WriteScope> OpenWriterAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return new WriteScope(await OpenAsync(cancellationToken), _writer);
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: cascade deletes to epoch losses; fsync at checkpoints only (a process crash loses nothing).
        // Another process on the same file (a second host in tests) waits in SQLite's own short sleeps.
        await ExecuteAsync(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;", cancellationToken);
        return connection;
    }

    private static async Task<JobStatus?> StatusOfAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, "SELECT status FROM jobs WHERE id = $id;", ("$id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? StatusText.Parse(text) : null;
    }

    private async Task<JobRecord?> SingleAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, sql, parameters);
        List<JobRecord> jobs = await ReadAllAsync(connection, command, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    private static async Task<List<JobRecord>> ReadAllAsync(SqliteConnection connection, DbCommand command, CancellationToken cancellationToken, bool withLosses = true)
    {
        var jobs = new List<JobRecord>();
        await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(ReadJob(reader));
            }
        }
        if (withLosses)
        {
            for (int i = 0; i < jobs.Count; i++)
            {
                jobs[i] = jobs[i] with { EpochLosses = await LossesAsync(connection, jobs[i].Id, cancellationToken) };
            }
        }
        return jobs;
    }

    private static async Task<IReadOnlyList<double>> LossesAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, "SELECT loss FROM epoch_losses WHERE job_id = $id ORDER BY epoch;", ("$id", id));
        var losses = new List<double>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            losses.Add(reader.GetDouble(0));
        }
        return losses;
    }

    /// <summary>A write connection and the writer turn that goes with it.</summary>
    private sealed class WriteScope(SqliteConnection connection, SemaphoreSlim writer) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            writer.Release();
        }
    }
}
