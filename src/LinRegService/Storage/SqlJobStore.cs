using System.Data.Common;
using LinRegService.Contracts;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The job store, written once for every SQL engine; a <see cref="SqlDialect"/> supplies what
/// differs. Every transition is one statement or one transaction that reads under a lock
/// (<see cref="SqlDialect.ForUpdate"/>) and then writes, so two workers never claim one job and a
/// cancel never races a finish into a state the contract does not allow. Times are unix
/// milliseconds and the JSON parts text, the same on every engine.
/// </summary>
public sealed class SqlJobStore(SqlDialect dialect) : IJobStore, IAsyncDisposable
{
    private const string Finished = "('succeeded', 'failed', 'canceled')";

    /// <summary>Which jobs a worker may claim: queued ones, and running ones whose replica stopped renewing.</summary>
    private const string Claimable = "status = 'queued' OR (status = 'running' AND lease_until < @now)";

    public bool IsShared => dialect.IsShared;

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await new Migrator(dialect).MigrateAsync(cancellationToken);

    public Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken) => dialect.ListenAsync(listener, cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*) FROM jobs WHERE 1 = 0;");
        await command.ExecuteScalarAsync(cancellationToken);
        return true;
    }

    public async Task<JobRecord> AddAsync(JobRecord job, CancellationToken cancellationToken)
    {
        await using (SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken))
        {
            await using DbCommand command = Command(writer.Connection, """
                INSERT INTO jobs (id, status, created_at, request, warm_start, samples, attempts, idempotency_key, request_hash)
                VALUES (@id, 'queued', @created, @request, @warm, @samples, 0, @key, @hash)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING seq;
                """,
                ("id", job.Id), ("created", job.CreatedAt.ToUnixTimeMilliseconds()),
                ("request", StoreJson.Serialize(job.Request)), ("warm", StoreJson.Serialize(job.WarmStart)),
                ("samples", StoreJson.Serialize(job.Samples)), ("key", job.IdempotencyKey), ("hash", job.RequestHash));
            if (await command.ExecuteScalarAsync(cancellationToken) is long seq)
            {
                await dialect.ChangedAsync(writer.Connection, job.Id, queued: true, cancellationToken);
                return job with { Sequence = seq, Status = JobStatus.Queued, Attempts = 0 };
            }
        }
        return await FindByIdempotencyKeyAsync(job.IdempotencyKey!, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency key conflicted but its job is gone.");
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM jobs WHERE id = @id;", cancellationToken, ("id", id));

    public Task<JobRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM jobs WHERE idempotency_key = @key;", cancellationToken, ("key", key));

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {Columns} FROM jobs
            WHERE (CAST(@status AS text) IS NULL OR status = CAST(@status AS text))
              AND (CAST(@before AS bigint) IS NULL OR seq < CAST(@before AS bigint))
            ORDER BY seq DESC LIMIT @take;
            """,
            ("status", status is { } s ? StatusText.Of(s) : null), ("before", before), ("take", limit + 1));
        List<JobRecord> items = await ReadJobsAsync(connection, command, withLosses: true, cancellationToken);
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
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, "SELECT count(*) FROM jobs WHERE status = 'queued';");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<JobRecord?> ClaimNextAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        DbConnection connection = writer.Connection;
        JobRecord? claimed;
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            long at = now.ToUnixTimeMilliseconds();
            // Lapsed jobs that must not run again: canceling ones end canceled, those out of attempts fail.
            await ExecuteAsync(connection, """
                UPDATE jobs SET
                    status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'failed' END,
                    error = CASE status WHEN 'canceling' THEN error
                        ELSE 'The job was interrupted ' || attempts || ' times (the service running it stopped); it is not retried again.' END,
                    finished_at = @now, lease_owner = NULL, lease_until = NULL
                WHERE status IN ('running', 'canceling') AND lease_until < @now AND (status = 'canceling' OR attempts >= @max);
                """, cancellationToken, ("now", at), ("max", lease.MaxAttempts));
            await using DbCommand claim = Command(connection, $"""
                UPDATE jobs SET status = 'running', started_at = @now, attempts = attempts + 1, lease_owner = @owner, lease_until = @until
                WHERE seq = (SELECT seq FROM jobs WHERE {Claimable} ORDER BY seq LIMIT 1{dialect.SkipLocked})
                RETURNING {Columns};
                """, ("now", at), ("owner", lease.Owner), ("until", (now + lease.Duration).ToUnixTimeMilliseconds()));
            claimed = (await ReadJobsAsync(connection, claim, withLosses: false, cancellationToken)).SingleOrDefault();
            if (claimed is not null)
            {
                // A rerun starts from epoch 1: progress of an earlier attempt goes.
                await ExecuteAsync(connection, "DELETE FROM epoch_losses WHERE job_id = @id;", cancellationToken, ("id", claimed.Id));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (claimed is not null)
        {
            await dialect.ChangedAsync(connection, claimed.Id, queued: false, cancellationToken);
        }
        return claimed;
    }

    public async Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        // The status comes back too: a cancel asked on another replica shows as canceling.
        await using DbCommand command = Command(writer.Connection, """
            UPDATE jobs SET lease_until = @until
            WHERE id = @id AND lease_owner = @owner AND status IN ('running', 'canceling')
            RETURNING status;
            """, ("id", id), ("owner", owner), ("until", until.ToUnixTimeMilliseconds()));
        return await command.ExecuteScalarAsync(cancellationToken) is string status ? StatusText.Parse(status) : null;
    }

    public async Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken)
    {
        if (losses.Count == 0)
        {
            return;
        }
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        // One multi-row statement per slice: a round trip per batch, not per epoch.
        const int SliceRows = 500;
        for (int start = 0; start < losses.Count; start += SliceRows)
        {
            int rows = Math.Min(SliceRows, losses.Count - start);
            var parameters = new (string, object?)[1 + (2 * rows)];
            parameters[0] = ("id", id);
            var values = new string[rows];
            for (int i = 0; i < rows; i++)
            {
                values[i] = $"(@id, @e{i}, @l{i})";
                parameters[1 + (2 * i)] = ($"e{i}", firstEpoch + start + i);
                parameters[2 + (2 * i)] = ($"l{i}", losses[start + i]);
            }
            await ExecuteAsync(writer.Connection, $"""
                INSERT INTO epoch_losses (job_id, epoch, loss) VALUES {string.Join(", ", values)}
                ON CONFLICT (job_id, epoch) DO UPDATE SET loss = excluded.loss;
                """, cancellationToken, parameters);
        }
        await dialect.ChangedAsync(writer.Connection, id, queued: false, cancellationToken);
    }

    public async Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        bool finished = await ExecuteAsync(writer.Connection, """
            UPDATE jobs SET status = @status, result = @result, error = @error, finished_at = @now, lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('running', 'canceling');
            """, cancellationToken,
            ("id", id), ("status", StatusText.Of(status)), ("result", StoreJson.Serialize(result)),
            ("error", errorMessage), ("now", now.ToUnixTimeMilliseconds())) == 1;
        if (finished)
        {
            await dialect.ChangedAsync(writer.Connection, id, queued: false, cancellationToken);
        }
        return finished;
    }

    public async Task RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        int moved = await ExecuteAsync(writer.Connection, """
            UPDATE jobs SET
                status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'queued' END,
                finished_at = CASE status WHEN 'canceling' THEN @now ELSE NULL END,
                attempts = CASE status WHEN 'canceling' THEN attempts ELSE attempts - 1 END,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('running', 'canceling');
            """, cancellationToken, ("id", id), ("now", now.ToUnixTimeMilliseconds()));
        if (moved > 0)
        {
            await dialect.ChangedAsync(writer.Connection, id, queued: true, cancellationToken); // another replica may take it at once
        }
    }

    public async Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        DbConnection connection = writer.Connection;
        (TransitionOutcome Outcome, JobStatus? Status) outcome;
        bool changed;
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            JobStatus? current = await LockStatusAsync(connection, id, cancellationToken);
            outcome = current switch
            {
                null => (TransitionOutcome.NotFound, null),
                JobStatus.Queued => (TransitionOutcome.Done, JobStatus.Canceled),
                JobStatus.Running or JobStatus.Canceling => (TransitionOutcome.Done, JobStatus.Canceling),
                _ => (TransitionOutcome.Conflict, current),
            };
            changed = outcome.Outcome == TransitionOutcome.Done && outcome.Status != current;
            if (changed)
            {
                await ExecuteAsync(connection, """
                    UPDATE jobs SET status = @status, finished_at = CASE @status WHEN 'canceled' THEN @now ELSE finished_at END
                    WHERE id = @id;
                    """, cancellationToken, ("id", id), ("status", StatusText.Of(outcome.Status!.Value)), ("now", now.ToUnixTimeMilliseconds()));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (changed)
        {
            await dialect.ChangedAsync(connection, id, queued: false, cancellationToken);
        }
        return outcome;
    }

    public async Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        DbConnection connection = writer.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
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
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        DbConnection connection = writer.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long at = now.ToUnixTimeMilliseconds();
        int canceled = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'canceled', finished_at = @now WHERE status = 'canceling';", cancellationToken, ("now", at));
        int failed = await ExecuteAsync(connection, """
            UPDATE jobs SET status = 'failed', finished_at = @now,
                error = 'The job was interrupted ' || attempts || ' times (the service stopped while it ran); it is not retried again.'
            WHERE status = 'running' AND attempts >= @max;
            """, cancellationToken, ("now", at), ("max", maxAttempts));
        int requeued = await ExecuteAsync(connection, "UPDATE jobs SET status = 'queued' WHERE status = 'running';", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecoveryReport(requeued, failed, canceled);
    }

    public async Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        return await ExecuteAsync(writer.Connection, $"DELETE FROM jobs WHERE status IN {Finished} AND finished_at < @cutoff;",
            cancellationToken, ("cutoff", cutoff.ToUnixTimeMilliseconds()));
    }

    public ValueTask DisposeAsync() => dialect.DisposeAsync();

    /// <summary>The job's status, its row locked (where the engine locks rows) until the transaction ends; null if there is no such job.</summary>
    private async Task<JobStatus?> LockStatusAsync(DbConnection connection, string id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, $"SELECT status FROM jobs WHERE id = @id{dialect.ForUpdate};", ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? StatusText.Parse(text) : null;
    }

    private async Task<JobRecord?> SingleAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, sql, parameters);
        return (await ReadJobsAsync(connection, command, withLosses: true, cancellationToken)).SingleOrDefault();
    }
}
