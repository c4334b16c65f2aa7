using LinRegService.Contracts;
using Microsoft.Extensions.Caching.Memory;

namespace LinRegService.Storage;

/// <summary>
/// Keeps finished jobs in memory for <c>GET /api/jobs/{id}</c>, which clients poll and which
/// otherwise costs a connection, two queries and three JSON parses each time. Only for a store
/// this process alone writes (SQLite): a finished job then changes only by being deleted or
/// purged, both of which pass through here and evict it. Replicas sharing PostgreSQL read the
/// store every time, since another replica may delete the job.
/// </summary>
internal sealed class FinishedJobCache(IJobStore inner, long capacity) : IJobStore, IAsyncDisposable
{
    private static readonly MemoryCacheEntryOptions _entryOptions = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };
    private readonly MemoryCache _finished = new(new MemoryCacheOptions { SizeLimit = capacity });

    public bool IsShared => inner.IsShared;

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (_finished.TryGetValue(id, out JobRecord? cached))
        {
            return cached;
        }
        JobRecord? job = await inner.GetAsync(id, cancellationToken);
        if (job is { Status: JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled })
        {
            _finished.Set(id, job, _entryOptions);
        }
        return job;
    }

    public async Task<JobRecord?> GetWithoutSamplesAsync(string id, CancellationToken cancellationToken) =>
        _finished.TryGetValue(id, out JobRecord? cached) ? cached! with { Samples = null } : await inner.GetWithoutSamplesAsync(id, cancellationToken);

    public async Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        _finished.Remove(id);
        return await inner.DeleteAsync(id, cancellationToken);
    }

    public async Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        int purged = await inner.PurgeFinishedBeforeAsync(cutoff, cancellationToken);
        if (purged > 0)
        {
            _finished.Clear(); // rare (a sweep every few minutes); refilled by the next reads
        }
        return purged;
    }

    public async ValueTask DisposeAsync()
    {
        _finished.Dispose();
        if (inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // Everything else changes only jobs that are not finished, or reads lists: straight through.
    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken) => inner.ListenAsync(listener, cancellationToken);

    public Task<bool> PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public Task<AddResult> AddAsync(JobRecord job, AddLimits limits, CancellationToken cancellationToken) => inner.AddAsync(job, limits, cancellationToken);

    public Task<AddResult> AddSweepAsync(SweepRecord sweep, IReadOnlyList<JobRecord> jobs, AddLimits limits, CancellationToken cancellationToken) =>
        inner.AddSweepAsync(sweep, jobs, limits, cancellationToken);

    public Task<JobProgressSnapshot?> GetProgressAsync(string id, int knownEpochs, CancellationToken cancellationToken) =>
        inner.GetProgressAsync(id, knownEpochs, cancellationToken);

    public Task<JobRecord?> FindByIdempotencyKeyAsync(string? owner, string key, CancellationToken cancellationToken) =>
        inner.FindByIdempotencyKeyAsync(owner, key, cancellationToken);

    public Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, string? owner, CancellationToken cancellationToken) =>
        inner.ListAsync(status, limit, before, owner, cancellationToken);

    public Task<OwnerUsage> UsageAsync(string? owner, CancellationToken cancellationToken) => inner.UsageAsync(owner, cancellationToken);

    public Task<int> CountQueuedAsync(CancellationToken cancellationToken) => inner.CountQueuedAsync(cancellationToken);

    public Task<QueueCounts> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public Task<ClaimResult> ClaimAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken) =>
        inner.ClaimAsync(now, lease, cancellationToken);

    public Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.RenewLeaseAsync(id, owner, until, cancellationToken);

    public Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken) =>
        inner.AppendLossesAsync(id, firstEpoch, losses, cancellationToken);

    public Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now,
        int firstEpoch, IReadOnlyList<double> lastLosses, CancellationToken cancellationToken) =>
        inner.FinishAsync(id, status, result, errorMessage, now, firstEpoch, lastLosses, cancellationToken);

    public Task<JobStatus?> RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) => inner.RequeueAsync(id, now, cancellationToken);

    public Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CancelAsync(id, now, cancellationToken);

    public Task<RecoveryReport> RecoverAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RecoverAsync(maxAttempts, now, cancellationToken);
}
