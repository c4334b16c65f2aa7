using LinRegService.Contracts;
using LinRegService.Storage;

namespace LinRegService.Tests;

/// <summary>
/// The short forms of the store's calls that tests use and the service never does: no limits, the
/// queue limit alone, the jobs of no key, every owner's jobs.
/// </summary>
internal static class JobStoreShortcuts
{
    /// <summary>The job a claim took, for tests that do not look at the lapsed jobs it ended.</summary>
    public static async Task<JobRecord?> ClaimNextAsync(this IJobStore store, DateTimeOffset now, Lease lease, CancellationToken cancellationToken) =>
        (await store.ClaimAsync(now, lease, cancellationToken)).Job;

    /// <summary>Adds a job with no limit; a taken idempotency key answers its job.</summary>
    public static async Task<JobRecord> AddAsync(this IJobStore store, JobRecord job, CancellationToken cancellationToken) =>
        await store.AddAsync(job, int.MaxValue, cancellationToken) ?? throw new InvalidOperationException("A job was refused without a limit.");

    /// <summary>Adds a job unless <paramref name="maxQueued"/> jobs are queued (then null).</summary>
    public static async Task<JobRecord?> AddAsync(this IJobStore store, JobRecord job, int maxQueued, CancellationToken cancellationToken) =>
        await store.AddAsync(job, new AddLimits(maxQueued), cancellationToken) is AddResult.Added(JobRecord added) ? added : null;

    public static Task<JobRecord?> FindByIdempotencyKeyAsync(this IJobStore store, string key, CancellationToken cancellationToken) =>
        store.FindByIdempotencyKeyAsync(null, key, cancellationToken);

    public static Task<JobPage> ListAsync(this IJobStore store, JobStatus? status, int limit, long? before, CancellationToken cancellationToken) =>
        store.ListAsync(status, limit, before, owner: null, cancellationToken);
}
