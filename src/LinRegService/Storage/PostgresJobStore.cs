using System.Data.Common;
using LinRegService.Contracts;
using Npgsql;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The shared store for several replicas: one PostgreSQL database. Claims lock the oldest queued
/// row with <c>FOR UPDATE SKIP LOCKED</c>, so replicas never claim the same job and never wait on
/// each other's claims; cancel and delete lock the job's row before they decide. Times are kept as
/// unix milliseconds and JSON as text, as in <see cref="SqliteJobStore"/>.
/// </summary>
public sealed class PostgresJobStore : IJobStore, IAsyncDisposable, IDisposable
{
    /// <summary>Key of the advisory lock that serializes schema creation across replicas.</summary>
    private const long SchemaLockKey = 0x4C696E5265675331; // "LinRegS1"

    /// <summary>The columns and, last, the job's losses in epoch order.</summary>
    private const string ColumnsWithLosses = Columns +
        ", coalesce((SELECT array_agg(l.loss ORDER BY l.epoch) FROM epoch_losses l WHERE l.job_id = jobs.id), '{}')";

    private const string FinishedStatuses = "('succeeded', 'failed', 'canceled')";

    /// <summary>The channel on which a queued job wakes idle workers of every replica.</summary>
    public const string WakeChannel = "linreg_jobs";

    /// <summary>
    /// The channel on which every change of a job (status, attempt, epoch losses) is announced,
    /// the payload being the job's id, so event streams on any replica re-read it at once.
    /// </summary>
    public const string ChangeChannel = "linreg_job_changes";

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Several replicas share the database.</summary>
    public bool IsShared => true;

    /// <summary>The connection source, for the wake-up listener.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    public PostgresJobStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        // CREATE ... IF NOT EXISTS races between sessions (a unique violation in the catalog);
        // replicas starting together take turns on this lock, released at commit.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", SchemaLockKey));
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS jobs (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                status text NOT NULL,
                created_at bigint NOT NULL,
                started_at bigint,
                finished_at bigint,
                request text NOT NULL,
                warm_start text,
                result text,
                samples text,
                error text,
                attempts integer NOT NULL DEFAULT 0,
                idempotency_key text UNIQUE,
                request_hash text,
                lease_owner text,
                lease_until bigint
            );
            ALTER TABLE jobs ADD COLUMN IF NOT EXISTS lease_owner text, ADD COLUMN IF NOT EXISTS lease_until bigint;
            CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq);
            CREATE TABLE IF NOT EXISTS epoch_losses (
                job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                epoch integer NOT NULL,
                loss double precision NOT NULL,
                PRIMARY KEY (job_id, epoch)
            );
            """, cancellationToken);
        await ExecuteAsync(connection, ChangeTriggers, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Triggers, not calls in each statement, announce changes: every path that moves a job (claims,
    /// lapsed leases, cancels, recovery, finishing) is covered by construction. NOTIFY is delivered
    /// at commit and identical payloads within one transaction collapse, so a batch of losses is one
    /// notification. Created only when missing: CREATE TRIGGER locks the table against the replicas
    /// already working on it.
    /// </summary>
    private const string ChangeTriggers = $$"""
        CREATE OR REPLACE FUNCTION linreg_job_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_notify('{{ChangeChannel}}', to_jsonb(NEW) ->> TG_ARGV[0]);
            RETURN NULL;
        END
        $body$;
        DO $body$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'jobs'::regclass AND tgname = 'jobs_changed') THEN
                CREATE TRIGGER jobs_changed AFTER UPDATE OF status, attempts ON jobs FOR EACH ROW
                    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.attempts IS DISTINCT FROM NEW.attempts)
                    EXECUTE FUNCTION linreg_job_changed('id');
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'epoch_losses'::regclass AND tgname = 'epoch_losses_changed') THEN
                CREATE TRIGGER epoch_losses_changed AFTER INSERT OR UPDATE ON epoch_losses FOR EACH ROW
                    EXECUTE FUNCTION linreg_job_changed('job_id');
            END IF;
        END
        $body$;
        """;

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*) FROM jobs WHERE false;");
        await command.ExecuteScalarAsync(cancellationToken);
        return true;
    }

    public async Task<JobRecord> AddAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, """
            INSERT INTO jobs (id, status, created_at, request, warm_start, samples, attempts, idempotency_key, request_hash)
            VALUES (@id, 'queued', @created, @request, @warm, @samples, 0, @key, @hash)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING seq;
            """,
            ("id", job.Id), ("created", job.CreatedAt.ToUnixTimeMilliseconds()),
            ("request", StoreJson.Serialize(job.Request)), ("warm", StoreJson.Serialize(job.WarmStart)),
            ("samples", StoreJson.Serialize(job.Samples)), ("key", job.IdempotencyKey), ("hash", job.RequestHash));
        object? sequence = await command.ExecuteScalarAsync(cancellationToken);
        if (sequence is long seq)
        {
            await NotifyAsync(connection, cancellationToken);
            return job with { Sequence = seq, Status = JobStatus.Queued, Attempts = 0 };
        }
        return await FindByIdempotencyKeyAsync(job.IdempotencyKey!, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency key conflicted but its job is gone.");
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {ColumnsWithLosses} FROM jobs WHERE id = @id;", cancellationToken, ("id", id));

    public Task<JobRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {ColumnsWithLosses} FROM jobs WHERE idempotency_key = @key;", cancellationToken, ("key", key));

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {ColumnsWithLosses} FROM jobs
            WHERE (@status::text IS NULL OR status = @status::text) AND (@before::bigint IS NULL OR seq < @before::bigint)
            ORDER BY seq DESC LIMIT @take;
            """,
            ("status", status is { } s ? StatusText.Of(s) : null), ("before", before), ("take", limit + 1));
        List<JobRecord> items = await ReadAllAsync(command, withLosses: true, cancellationToken);
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
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*)::integer FROM jobs WHERE status = 'queued';");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<JobRecord?> ClaimNextAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long at = now.ToUnixTimeMilliseconds();
        await ExecuteAsync(connection, Pg(LeaseSql.EndLapsed), cancellationToken, ("now", at), ("max", lease.MaxAttempts));
        // SKIP LOCKED: a row another replica is claiming is passed over, not waited for.
        await using DbCommand claim = Command(connection, $"""
            UPDATE jobs SET status = 'running', started_at = @now, attempts = attempts + 1, lease_owner = @owner, lease_until = @until
            WHERE seq = (SELECT seq FROM jobs WHERE {Pg(LeaseSql.Claimable)} ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns};
            """, ("now", at), ("owner", lease.Owner), ("until", (now + lease.Duration).ToUnixTimeMilliseconds()));
        List<JobRecord> claimed = await ReadAllAsync(claim, withLosses: false, cancellationToken);
        if (claimed.Count > 0)
        {
            // A rerun starts from epoch 1: progress of an earlier attempt goes.
            await ExecuteAsync(connection, "DELETE FROM epoch_losses WHERE job_id = @id;", cancellationToken, ("id", claimed[0].Id));
        }
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count == 0 ? null : claimed[0];
    }

    public async Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, Pg(LeaseSql.Renew),
            ("id", id), ("owner", owner), ("until", until.ToUnixTimeMilliseconds()));
        return await command.ExecuteScalarAsync(cancellationToken) is string status ? StatusText.Parse(status) : null;
    }

    public async Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken)
    {
        if (losses.Count == 0)
        {
            return;
        }
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO epoch_losses (job_id, epoch, loss)
            SELECT @id, (@first + t.n - 1)::integer, t.loss FROM unnest(@losses::double precision[]) WITH ORDINALITY AS t (loss, n)
            ON CONFLICT (job_id, epoch) DO UPDATE SET loss = excluded.loss;
            """, cancellationToken, ("id", id), ("first", firstEpoch), ("losses", losses.ToArray()));
    }

    public async Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        int updated = await ExecuteAsync(connection, """
            UPDATE jobs SET status = @status, result = @result, error = @error, finished_at = @now, lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('running', 'canceling');
            """, cancellationToken,
            ("id", id), ("status", StatusText.Of(status)), ("result", StoreJson.Serialize(result)),
            ("error", errorMessage), ("now", now.ToUnixTimeMilliseconds()));
        return updated == 1;
    }

    public async Task RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, """
            UPDATE jobs SET
                status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'queued' END,
                finished_at = CASE status WHEN 'canceling' THEN @now ELSE NULL END,
                attempts = CASE status WHEN 'canceling' THEN attempts ELSE attempts - 1 END,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('running', 'canceling');
            """, cancellationToken, ("id", id), ("now", now.ToUnixTimeMilliseconds()));
        await NotifyAsync(connection, cancellationToken); // another replica may take it at once
    }

    /// <summary>Wakes idle workers on every replica (LISTEN/NOTIFY; the polling is only a safety net).</summary>
    private static Task<int> NotifyAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"NOTIFY {WakeChannel};", cancellationToken);

    /// <summary>The shared lease statements, with PostgreSQL's parameter marker.</summary>
    private static string Pg(string sql) => sql.Replace('$', '@');

    public async Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        JobStatus? current = await LockStatusAsync(connection, id, cancellationToken);
        (TransitionOutcome, JobStatus?) outcome = current switch
        {
            null => (TransitionOutcome.NotFound, null),
            JobStatus.Queued => (TransitionOutcome.Done, JobStatus.Canceled),
            JobStatus.Running or JobStatus.Canceling => (TransitionOutcome.Done, JobStatus.Canceling),
            _ => (TransitionOutcome.Conflict, current),
        };
        if (outcome.Item1 == TransitionOutcome.Done && outcome.Item2 != current)
        {
            await ExecuteAsync(connection, """
                UPDATE jobs SET status = @status, finished_at = CASE @status WHEN 'canceled' THEN @now ELSE finished_at END
                WHERE id = @id;
                """, cancellationToken,
                ("id", id), ("status", StatusText.Of(outcome.Item2!.Value)), ("now", now.ToUnixTimeMilliseconds()));
        }
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    public async Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        JobStatus? current = await LockStatusAsync(connection, id, cancellationToken);
        if (current is null)
        {
            return TransitionOutcome.NotFound;
        }
        if (!current.Value.IsFinished())
        {
            return TransitionOutcome.Conflict;
        }
        await ExecuteAsync(connection, "DELETE FROM jobs WHERE id = @id;", cancellationToken, ("id", id));
        await transaction.CommitAsync(cancellationToken);
        return TransitionOutcome.Done;
    }

    public async Task<RecoveryReport> RecoverAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long at = now.ToUnixTimeMilliseconds();
        int canceled = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'canceled', finished_at = @now WHERE status = 'canceling';", cancellationToken, ("now", at));
        int failed = await ExecuteAsync(connection, """
            UPDATE jobs SET status = 'failed', finished_at = @now,
                error = 'The job was interrupted ' || attempts || ' times (the service stopped while it ran); it is not retried again.'
            WHERE status = 'running' AND attempts >= @max;
            """, cancellationToken, ("now", at), ("max", maxAttempts));
        int requeued = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'queued' WHERE status = 'running';", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecoveryReport(requeued, failed, canceled);
    }

    public async Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection,
            $"DELETE FROM jobs WHERE status IN {FinishedStatuses} AND finished_at < @cutoff;",
            cancellationToken, ("cutoff", cutoff.ToUnixTimeMilliseconds()));
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>The job's status, its row locked until the transaction ends; null if there is no such job.</summary>
    private static async Task<JobStatus?> LockStatusAsync(NpgsqlConnection connection, string id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, "SELECT status FROM jobs WHERE id = @id FOR UPDATE;", ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? StatusText.Parse(text) : null;
    }

    private async Task<JobRecord?> SingleAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Command(connection, sql, parameters);
        List<JobRecord> jobs = await ReadAllAsync(command, withLosses: true, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    private static async Task<List<JobRecord>> ReadAllAsync(DbCommand command, bool withLosses, CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            JobRecord job = ReadJob(reader);
            jobs.Add(withLosses ? job with { EpochLosses = reader.GetFieldValue<double[]>(14) } : job);
        }
        return jobs;
    }

}
