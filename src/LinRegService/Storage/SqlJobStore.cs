using System.Data.Common;
using LinRegService.Contracts;
using Microsoft.Extensions.Caching.Memory;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// The job store, written once for every SQL engine; a <see cref="SqlDialect"/> supplies what
/// differs. Every transition is one statement, or one transaction that reads under a lock
/// (<see cref="DialectTraits.ForUpdate"/>) and then writes, so two workers never claim one job and a
/// cancel never races a finish into a state the contract does not allow. Times are unix
/// milliseconds and the JSON parts text, the same on every engine.
/// </summary>
/// <param name="dialect">The engine.</param>
/// <param name="finishedInMemory">
/// How many finished jobs <see cref="GetAsync"/> keeps in memory (0: none). Only for a store this
/// process alone writes (SQLite): a finished job then changes only by a delete or a purge, both of
/// which pass here. Replicas sharing PostgreSQL read every time, as another may delete the job.
/// </param>
public sealed class SqlJobStore(SqlDialect dialect, long finishedInMemory = 0) : IJobStore, IAsyncDisposable
{
    private static readonly MemoryCacheEntryOptions _kept = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>Finished jobs for <c>GET /api/jobs/{id}</c>, which clients poll: otherwise a connection, two queries and three JSON parses each time.</summary>
    private readonly MemoryCache? _finished = finishedInMemory > 0 ? new(new MemoryCacheOptions { SizeLimit = finishedInMemory }) : null;

    /// <summary>Deletes and purges begun: a read that saw one begin keeps nothing in <see cref="_finished"/>.</summary>
    private long _removals;

    /// <summary>Which jobs a worker may claim: queued ones, and running ones whose replica stopped renewing.</summary>
    private const string Claimable = "status = 'queued' OR (status = 'running' AND lease_until < @now)";

    public bool IsShared => dialect.Traits.IsShared;

    public Task InitializeAsync(CancellationToken cancellationToken) => new Migrator(dialect).MigrateAsync(cancellationToken);

    public Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken) => dialect.ListenAsync(listener, cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await ScalarAsync(connection, "SELECT count(*) FROM jobs WHERE 1 = 0;", cancellationToken);
        return true;
    }

    public Task<AddResult> AddAsync(JobRecord job, AddLimits limits, CancellationToken cancellationToken) =>
        AddAllAsync(null, [job], limits, cancellationToken);

    public Task<AddResult> AddSweepAsync(SweepRecord sweep, IReadOnlyList<JobRecord> jobs, AddLimits limits, CancellationToken cancellationToken) =>
        AddAllAsync(sweep, jobs, limits, cancellationToken);

    /// <summary>
    /// Counts the queue and the owner's use, then adds the jobs (and their sweep), in one
    /// transaction that first takes the dialect's queue lock: on SQLite the writer turn already
    /// orders every writer, on PostgreSQL an advisory lock does, since under READ COMMITTED two
    /// submissions would both see room for one more. A refusal names the limit that really held.
    /// </summary>
    private async Task<AddResult> AddAllAsync(SweepRecord? sweep, IReadOnlyList<JobRecord> jobs, AddLimits limits, CancellationToken cancellationToken)
    {
        var rows = jobs.Select(job => (Job: job, Request: StoreJson.Serialize(job.Request)!, Warm: StoreJson.Serialize(job.WarmStart),
            Samples: StoreJson.Serialize(job.Samples))).ToList();
        // The same measure as UsageAsync's: the stored text's length.
        long bytes = rows.Sum(r => (long)r.Request.Length + (r.Warm?.Length ?? 0) + (r.Samples?.Length ?? 0));
        string? owner = jobs[0].Owner;
        (List<long>? Sequences, AddResult? Refusal) added = await dialect.TransactAsync<(List<long>?, AddResult?)>(async connection =>
        {
            await dialect.LockQueueAsync(connection, cancellationToken);
            if (await RefusalAsync(connection, owner, jobs.Count, bytes, limits, cancellationToken) is { } refusal)
            {
                return (null, refusal);
            }
            if (sweep is not null && await ScalarAsync(connection, """
                INSERT INTO sweeps (id, created_at, owner, request, job_count, idempotency_key, request_hash)
                VALUES (@id, @created, @owner, @request, @count, @key, @hash)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING seq;
                """, cancellationToken, ("id", sweep.Id), ("created", sweep.CreatedAt.ToUnixTimeMilliseconds()), ("owner", sweep.Owner),
                ("request", StoreJson.Serialize(sweep.Request)), ("count", jobs.Count), ("key", ScopedKey(sweep.Owner, sweep.IdempotencyKey)),
                ("hash", sweep.RequestHash)) is not long)
            {
                return (null, new AddResult.KeyTaken()); // a concurrent submission with the same key won
            }
            var sequences = new List<long>(rows.Count);
            foreach ((JobRecord job, string request, string? warm, string? samples) in rows)
            {
                if (await ScalarAsync(connection, """
                    INSERT INTO jobs (id, status, created_at, request, warm_start, samples, attempts, idempotency_key, request_hash, peak_bytes, owner, sweep_id, dataset_id, owner_role, trace_parent)
                    VALUES (@id, 'queued', @created, @request, @warm, @samples, 0, @key, @hash, @peak, @owner, @sweep, @dataset, @role, @trace)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING seq;
                    """, cancellationToken,
                    ("id", job.Id), ("created", job.CreatedAt.ToUnixTimeMilliseconds()), ("request", request), ("warm", warm), ("samples", samples),
                    ("key", ScopedKey(job.Owner, job.IdempotencyKey)), ("hash", job.RequestHash), ("peak", job.PeakBytes), ("owner", job.Owner),
                    ("sweep", job.SweepId), ("dataset", job.Request.Dataset?.Id), ("role", job.OwnerRole), ("trace", job.TraceParent)) is long seq)
                {
                    sequences.Add(seq);
                }
            }
            return (sequences, null);
        }, cancellationToken);
        if (added.Sequences is not { Count: > 0 } sequences)
        {
            // Nothing added: the key is taken (its job answers, whatever the limits), or a limit held;
            // a key whose job was deleted since the insert met it is still a key that was taken.
            JobRecord first = jobs[0];
            return first.IdempotencyKey is { } key && await FindByIdempotencyKeyAsync(first.Owner, key, cancellationToken) is { } holder
                ? new AddResult.Added(holder)
                : added.Refusal ?? new AddResult.KeyTaken();
        }
        for (int i = 0; i < jobs.Count; i++)
        {
            await dialect.ChangedAsync(jobs[i].Id, queued: i == 0, CancellationToken.None); // committed: one wake-up for all of them
        }
        return new AddResult.Added(jobs[0] with { Sequence = sequences[0], Status = JobStatus.Queued, Attempts = 0 });
    }

    /// <summary>The jobs of <c>@owner</c>; none when it is null (the jobs of no key have no quotas).</summary>
    private const string OwnedBy = "owner = CAST(@owner AS text)";

    private const string StoredLength =
        "length(request) + coalesce(length(warm_start), 0) + coalesce(length(result), 0) + coalesce(length(samples), 0)";

    /// <summary>Which limit refuses <paramref name="count"/> more jobs of <paramref name="bytes"/>, read under the insert's lock: the owner's quotas first, they are the caller's to act on.</summary>
    private static async Task<AddResult?> RefusalAsync(DbConnection connection, string? owner, int count, long bytes, AddLimits limits, CancellationToken cancellationToken)
    {
        long[] use = await CountsAsync(connection, $"""
            SELECT (SELECT count(*) FROM jobs WHERE {OwnedBy} AND status IN ('queued', 'running', 'canceling')),
                   (SELECT coalesce(sum({StoredLength}), 0) FROM jobs WHERE {OwnedBy}),
                   (SELECT count(*) FROM jobs WHERE status = 'queued');
            """, cancellationToken, ("owner", owner));
        (long active, long stored, long queued) = (use[0], use[1], use[2]);
        if (active + count > limits.MaxActiveJobs)
        {
            return new AddResult.OverQuota("maxActiveJobs", limits.MaxActiveJobs, active);
        }
        if (stored + bytes > limits.MaxStoredBytes)
        {
            return new AddResult.OverQuota("maxStoredBytes", limits.MaxStoredBytes, stored);
        }
        return queued + count > limits.MaxQueued ? new AddResult.QueueFull() : null;
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (_finished?.Get<JobRecord>(id) is { } kept)
        {
            return kept;
        }
        long removals = Volatile.Read(ref _removals);
        JobRecord? job = await SingleAsync($"SELECT {Columns} FROM jobs WHERE id = @id;", cancellationToken, ("id", id));
        // Kept only if no delete or purge began meanwhile: one that began may commit after this read.
        if (job is not null && job.Status.IsFinished() && Volatile.Read(ref _removals) == removals)
        {
            _finished?.Set(id, job, _kept);
        }
        return job;
    }

    public async Task<JobRecord?> GetWithoutSamplesAsync(string id, CancellationToken cancellationToken) => _finished?.Get<JobRecord>(id) is { } kept
        ? kept with { Samples = null }
        : await SingleAsync($"SELECT {ColumnsWithoutSamples} FROM jobs WHERE id = @id;", cancellationToken, ("id", id));

    /// <summary>One statement, so the status, the count and the new losses come from one snapshot.</summary>
    public async Task<JobProgressSnapshot?> GetProgressAsync(string id, int knownEpochs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, """
            SELECT j.status, j.attempts, c.n, l.loss
            FROM jobs j
            CROSS JOIN (SELECT count(*) AS n FROM epoch_losses WHERE job_id = @id) c
            LEFT JOIN epoch_losses l ON l.job_id = j.id AND l.epoch > @known
            WHERE j.id = @id
            ORDER BY l.epoch;
            """, ("id", id), ("known", knownEpochs));
        var rows = await RowsAsync(command, r => (Status: r.GetString(0), Attempts: r.GetInt32(1),
            Count: Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), Loss: r.IsDBNull(3) ? (double?)null : r.GetDouble(3)), cancellationToken);
        return rows.Count == 0 ? null : new JobProgressSnapshot(JobStatusText.Parse(rows[0].Status), rows[0].Attempts, rows[0].Count,
            [.. rows.Where(r => r.Loss is not null).Select(r => r.Loss!.Value)]);
    }

    public Task<JobRecord?> FindByIdempotencyKeyAsync(string? owner, string key, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM jobs WHERE idempotency_key = @key;", cancellationToken, ("key", ScopedKey(owner, key)));

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, string? owner, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {ColumnsWithoutSamples} FROM jobs
            WHERE (CAST(@status AS text) IS NULL OR status = CAST(@status AS text))
              AND (CAST(@before AS bigint) IS NULL OR seq < CAST(@before AS bigint))
              AND (CAST(@owner AS text) IS NULL OR owner = CAST(@owner AS text))
            ORDER BY seq DESC LIMIT @take;
            """,
            ("status", status is { } s ? JobStatusText.Of(s) : null), ("before", before), ("owner", owner), ("take", limit + 1));
        List<JobRecord> items = await ReadJobsAsync(connection, command, withLosses: true, cancellationToken);
        bool more = items.Count > limit;
        return more ? new JobPage(items[..limit], items[limit - 1].Sequence) : new JobPage(items, null);
    }

    public async Task<OwnerUsage> UsageAsync(string? owner, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        // "owner IS NOT DISTINCT FROM" in words both engines read: the jobs of no key when owner is null.
        long[] use = await CountsAsync(connection, $"""
            SELECT coalesce(sum(CASE WHEN status IN ('queued', 'running', 'canceling') THEN 1 ELSE 0 END), 0), count(*),
                coalesce(sum({StoredLength}), 0)
            FROM jobs
            WHERE (CAST(@owner AS text) IS NULL AND owner IS NULL) OR owner = CAST(@owner AS text);
            """, cancellationToken, ("owner", owner));
        return new OwnerUsage((int)use[0], (int)use[1], use[2]);
    }

    public async Task<QueueCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        long[] counts = await CountsAsync(connection, """
            SELECT (SELECT count(*) FROM jobs WHERE status = 'queued'), (SELECT count(*) FROM jobs WHERE status IN ('running', 'canceling'));
            """, cancellationToken);
        return new QueueCounts((int)counts[0], (int)counts[1]);
    }

    /// <summary>
    /// The next claimable job, round-robin across owners: the oldest job of the owner whose latest
    /// start is longest ago (an owner never served first), so one key's thousand queued jobs wait their
    /// turn behind another key's one. Claimed only if it fits the lease's memory room: a larger one
    /// waits at the head rather than be overtaken. The ranking is a scalar subquery per candidate, so
    /// PostgreSQL's FOR UPDATE SKIP LOCKED still locks one plain row of <c>jobs</c>.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken)
    {
        long at = now.ToUnixTimeMilliseconds();
        ClaimResult claimed = await dialect.TransactAsync(async connection =>
        {
            // Lapsed jobs that must not run again: canceling ones end canceled, those out of attempts fail.
            List<SettledJob> settled = await RowsAsync(connection, """
                UPDATE jobs SET
                    status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'failed' END,
                    error = CASE status WHEN 'canceling' THEN error
                        ELSE 'The job was interrupted ' || attempts || ' times (the service running it stopped); it is not retried again.' END,
                    finished_at = @now, lease_owner = NULL, lease_until = NULL
                WHERE status IN ('running', 'canceling') AND lease_until < @now AND (status = 'canceling' OR attempts >= @max)
                RETURNING status, owner_role;
                """, r => new SettledJob(JobStatusText.Parse(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken,
                ("now", at), ("max", lease.MaxAttempts));
            // SET reads the row as it was: a running job, or one a crash left queued with its lease
            // owner (recovery), lapsed; one never started is new; else a stopping replica requeued it.
            (JobRecord? job, string? from) = (await RowsAsync(connection, $"""
                UPDATE jobs SET status = 'running', started_at = @now, attempts = attempts + 1, lease_owner = @owner, lease_until = @until,
                    claimed_from = CASE WHEN status = 'running' OR lease_owner IS NOT NULL THEN 'lapsed' WHEN started_at IS NULL THEN 'new' ELSE 'requeued' END
                WHERE seq = (
                    SELECT seq FROM jobs c WHERE {Claimable}
                    ORDER BY (SELECT coalesce(max(s.started_at), 0) FROM jobs s WHERE coalesce(s.owner, '') = coalesce(c.owner, '')), seq
                    LIMIT 1{dialect.Traits.SkipLocked})
                  AND coalesce(peak_bytes, 0) <= @room
                RETURNING {ColumnsWithoutSamples}, claimed_from;
                """, r => ((JobRecord?)ReadJob(r), (string?)r.GetString(ColumnCount)), cancellationToken,
                ("now", at), ("owner", lease.Owner), ("until", (now + lease.Duration).ToUnixTimeMilliseconds()), ("room", lease.MemoryRoom))).SingleOrDefault();
            if (job is not null && from != "new")
            {
                // A rerun starts from epoch 1: progress of an earlier attempt goes (a first start has none).
                await ExecuteAsync(connection, "DELETE FROM epoch_losses WHERE job_id = @id;", cancellationToken, ("id", job.Id));
            }
            return new ClaimResult(job, settled) { Reclaimed = from == "lapsed", FirstClaim = from == "new" };
        }, cancellationToken);
        if (claimed.Job is not null)
        {
            await dialect.ChangedAsync(claimed.Job.Id, queued: false, CancellationToken.None); // committed: the claim stands
        }
        return claimed;
    }

    /// <summary>The status comes back too: a cancel asked on another replica shows as canceling.</summary>
    public async Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        await dialect.WriteAsync(connection => ScalarAsync(connection, """
            UPDATE jobs SET lease_until = @until
            WHERE id = @id AND lease_owner = @owner AND status IN ('running', 'canceling')
            RETURNING status;
            """, cancellationToken, ("id", id), ("owner", owner), ("until", until.ToUnixTimeMilliseconds())), cancellationToken)
            is string status ? JobStatusText.Parse(status) : null;

    public async Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken)
    {
        if (await dialect.WriteAsync(connection => InsertLossesAsync(connection, id, firstEpoch, losses, cancellationToken), cancellationToken) > 0)
        {
            await dialect.ChangedAsync(id, queued: false, cancellationToken);
        }
    }

    /// <summary>
    /// The final status and the losses not yet appended in one transaction: a reader never sees a
    /// result without its last epochs, and a job no longer running gets neither (its losses would
    /// belong to another attempt).
    /// </summary>
    public async Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now,
        int firstEpoch, IReadOnlyList<double> lastLosses, string? leaseOwner, CancellationToken cancellationToken)
    {
        async Task<bool> FinishOn(DbConnection connection)
        {
            if (await ExecuteAsync(connection, """
                UPDATE jobs SET status = @status, result = @result, error = @error, finished_at = @now, lease_owner = NULL, lease_until = NULL
                WHERE id = @id AND status IN ('running', 'canceling') AND (CAST(@owner AS text) IS NULL OR lease_owner = CAST(@owner AS text));
                """, cancellationToken, ("id", id), ("status", JobStatusText.Of(status)), ("result", StoreJson.Serialize(result)),
                ("error", errorMessage), ("now", now.ToUnixTimeMilliseconds()), ("owner", leaseOwner)) != 1)
            {
                return false;
            }
            await InsertLossesAsync(connection, id, firstEpoch, lastLosses, cancellationToken);
            return true;
        }
        // Without losses the update alone is atomic: no transaction (on PostgreSQL, no BEGIN and COMMIT round trips).
        bool finished = lastLosses.Count == 0 ? await dialect.WriteAsync(FinishOn, cancellationToken) : await dialect.TransactAsync(FinishOn, cancellationToken);
        if (finished)
        {
            await dialect.ChangedAsync(id, queued: false, cancellationToken);
        }
        return finished;
    }

    public async Task<JobStatus?> RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        object? moved = await dialect.WriteAsync(connection => ScalarAsync(connection, """
            UPDATE jobs SET
                status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'queued' END,
                finished_at = CASE status WHEN 'canceling' THEN @now ELSE NULL END,
                attempts = CASE status WHEN 'canceling' THEN attempts ELSE attempts - 1 END,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('running', 'canceling')
            RETURNING status;
            """, cancellationToken, ("id", id), ("now", now.ToUnixTimeMilliseconds())), cancellationToken);
        if (moved is not string status)
        {
            return null;
        }
        await dialect.ChangedAsync(id, queued: true, cancellationToken); // another replica may take it at once
        return JobStatusText.Parse(status);
    }

    public async Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (TransitionOutcome Outcome, JobStatus? Status, bool Changed) cancel = await dialect.TransactAsync(async connection =>
        {
            JobStatus? current = await LockStatusAsync(connection, id, cancellationToken);
            JobStatus? next = current switch
            {
                JobStatus.Queued => JobStatus.Canceled,
                JobStatus.Running or JobStatus.Canceling => JobStatus.Canceling,
                _ => null,
            };
            if (next is null)
            {
                return (current is null ? TransitionOutcome.NotFound : TransitionOutcome.Conflict, current, false);
            }
            if (next != current)
            {
                await ExecuteAsync(connection, """
                    UPDATE jobs SET status = @status, finished_at = CASE @status WHEN 'canceled' THEN @now ELSE finished_at END
                    WHERE id = @id;
                    """, cancellationToken, ("id", id), ("status", JobStatusText.Of(next.Value)), ("now", now.ToUnixTimeMilliseconds()));
            }
            return (TransitionOutcome.Done, next, next != current);
        }, cancellationToken);
        if (cancel.Changed)
        {
            await dialect.ChangedAsync(id, queued: false, CancellationToken.None); // committed: the cancel stands
        }
        return (cancel.Outcome, cancel.Status);
    }

    /// <summary>Out of memory after the commit: a read before it may have kept the job again.</summary>
    public async Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _removals);
        try
        {
            return await dialect.TransactAsync(async connection =>
            {
                JobStatus? current = await LockStatusAsync(connection, id, cancellationToken);
                if (current is not { } status || !status.IsFinished())
                {
                    return current is null ? TransitionOutcome.NotFound : TransitionOutcome.Conflict;
                }
                await ExecuteAsync(connection, "DELETE FROM jobs WHERE id = @id;", cancellationToken, ("id", id));
                return TransitionOutcome.Done;
            }, cancellationToken);
        }
        finally
        {
            _finished?.Remove(id);
        }
    }

    public Task<RecoveryReport> RecoverAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken) => dialect.TransactAsync(async connection =>
    {
        long at = now.ToUnixTimeMilliseconds();
        int canceled = await ExecuteAsync(connection,
            "UPDATE jobs SET status = 'canceled', finished_at = @now WHERE status = 'canceling';", cancellationToken, ("now", at));
        int failed = await ExecuteAsync(connection, """
            UPDATE jobs SET status = 'failed', finished_at = @now,
                error = 'The job was interrupted ' || attempts || ' times (the service stopped while it ran); it is not retried again.'
            WHERE status = 'running' AND attempts >= @max;
            """, cancellationToken, ("now", at), ("max", maxAttempts));
        int requeued = await ExecuteAsync(connection, "UPDATE jobs SET status = 'queued' WHERE status = 'running';", cancellationToken);
        return new RecoveryReport(requeued, failed, canceled);
    }, cancellationToken);

    /// <summary>
    /// A sweep's jobs go together, once the last of them is past the cutoff (a sweep is never shown
    /// half purged), and the sweep with them.
    /// </summary>
    public async Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _removals);
        int purged;
        try
        {
            purged = await dialect.TransactAsync(async connection =>
            {
                int removed = await ExecuteAsync(connection, """
                    DELETE FROM jobs WHERE status IN ('succeeded', 'failed', 'canceled') AND finished_at < @cutoff
                      AND (sweep_id IS NULL OR NOT EXISTS (SELECT 1 FROM jobs o WHERE o.sweep_id = jobs.sweep_id AND (o.finished_at IS NULL OR o.finished_at >= @cutoff)));
                    """, cancellationToken, ("cutoff", cutoff.ToUnixTimeMilliseconds()));
                await ExecuteAsync(connection, "DELETE FROM sweeps WHERE created_at < @cutoff AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.sweep_id = sweeps.id);",
                    cancellationToken, ("cutoff", cutoff.ToUnixTimeMilliseconds()));
                return removed;
            }, cancellationToken);
        }
        catch
        {
            _finished?.Clear(); // it may have committed before it failed
            throw;
        }
        if (purged > 0)
        {
            _finished?.Clear(); // rare (a sweep every few minutes), after the commit; refilled by the next reads
        }
        return purged;
    }

    public ValueTask DisposeAsync()
    {
        _finished?.Dispose();
        return dialect.DisposeAsync();
    }

    /// <summary>The job's status, its row locked (where the engine locks rows) until the transaction ends; null if there is no such job.</summary>
    private async Task<JobStatus?> LockStatusAsync(DbConnection connection, string id, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, $"SELECT status FROM jobs WHERE id = @id{dialect.Traits.ForUpdate};", cancellationToken, ("id", id))
            is string text ? JobStatusText.Parse(text) : null;

    private async Task<JobRecord?> SingleAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, sql, parameters);
        return (await ReadJobsAsync(connection, command, withLosses: true, cancellationToken)).SingleOrDefault();
    }
}
