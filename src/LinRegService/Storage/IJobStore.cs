using LinRegService.Contracts;

namespace LinRegService.Storage;

/// <summary>
/// The jobs' source of truth. Every status change is one atomic statement, so two workers never
/// claim one job and a cancel never races a finish into a state the contract does not allow.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Whether other processes may use the same store (several replicas). A store that is not
    /// shared can treat every job marked running at start as left behind by a crash.
    /// </summary>
    bool IsShared { get; }

    /// <summary>Creates the schema if it is missing, or migrates an older one (see <see cref="Migrator"/>).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Hears other processes sharing the store until canceled; returns at once for a store that is not shared.</summary>
    Task ListenAsync(IStoreListener listener, CancellationToken cancellationToken);

    /// <summary>Whether the store answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds a queued job unless a limit holds: <see cref="AddLimits.MaxQueued"/> jobs queued, the
    /// owner's active jobs (queued, running, canceling) at <see cref="AddLimits.MaxActiveJobs"/>, or
    /// its stored bytes with this job's over <see cref="AddLimits.MaxStoredBytes"/>. Every count and
    /// the insert are one step, so concurrent submissions (on any replica) never pass a limit. When
    /// the idempotency key is taken, adds nothing and answers the job that holds it.
    /// </summary>
    Task<AddResult> AddAsync(JobRecord job, AddLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a sweep and all its jobs, or nothing: the limits hold for all of them together, as for
    /// one job of their summed size. <see cref="AddResult.Added"/> carries the first job.
    /// </summary>
    Task<AddResult> AddSweepAsync(SweepRecord sweep, IReadOnlyList<JobRecord> jobs, AddLimits limits, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The job with its samples left out (null): what an event stream sends when a status changes.</summary>
    Task<JobRecord?> GetWithoutSamplesAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The light re-read of an event stream: the job's status and attempt, how many epoch losses it
    /// has, and those after epoch <paramref name="knownEpochs"/>; null when the job is gone.
    /// </summary>
    Task<JobProgressSnapshot?> GetProgressAsync(string id, int knownEpochs, CancellationToken cancellationToken);

    /// <summary>The job of <paramref name="owner"/> (a key id; null: the jobs of no key) that holds an idempotency key: keys are unique per owner.</summary>
    Task<JobRecord?> FindByIdempotencyKeyAsync(string? owner, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Newest first, without samples (null); the status filter applies before the limit; continues below <paramref name="before"/>;
    /// only <paramref name="owner"/>'s jobs when it is given (a key id), every job when it is null.
    /// </summary>
    Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, string? owner, CancellationToken cancellationToken);

    /// <summary>What <paramref name="owner"/>'s jobs (null: the jobs of no key) use now.</summary>
    Task<OwnerUsage> UsageAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>Jobs queued and jobs running (or canceling) on every replica, from one snapshot: the queue gauges.</summary>
    Task<QueueCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Moves the next claimable job (round-robin across owners: the oldest job of the owner served longest ago) to running under <paramref name="lease"/> (one more attempt,
    /// progress reset) and returns it. Claimable: queued, or running under a lease that lapsed
    /// before <paramref name="now"/> (its replica died). A lapsed job that has used up its
    /// attempts fails instead; a lapsed canceling job becomes canceled. Claims nothing when that job's
    /// estimated peak memory is over <see cref="Lease.MemoryRoom"/>. Answers the lapsed jobs it ended too.
    /// </summary>
    Task<ClaimResult> ClaimAsync(DateTimeOffset now, Lease lease, CancellationToken cancellationToken);

    /// <summary>Extends a held lease to <paramref name="until"/>; returns the job's status, or null when the lease is no longer held.</summary>
    Task<JobStatus?> RenewLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Appends epoch losses, numbered from <paramref name="firstEpoch"/> (1-based).</summary>
    Task AppendLossesAsync(string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken);

    /// <summary>Ends a running or canceling job with a final status; false if it was not running.</summary>
    Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(id, status, result, errorMessage, now, 1, [], leaseOwner: null, cancellationToken);

    /// <summary>
    /// Ends a running or canceling job with a final status and appends its last epoch losses (numbered
    /// from <paramref name="firstEpoch"/>), both or neither; false (nothing written) if it was not running,
    /// or, given <paramref name="leaseOwner"/>, if another owner's lease holds it now (a lapsed lease
    /// reclaimed by another replica: the late attempt must not end, or overwrite the epochs of, the new one).
    /// </summary>
    Task<bool> FinishAsync(string id, JobStatus status, JobResult? result, string? errorMessage, DateTimeOffset now,
        int firstEpoch, IReadOnlyList<double> lastLosses, string? leaseOwner, CancellationToken cancellationToken);

    /// <summary>Puts a running job back in the queue (a canceling one becomes canceled); the attempt is not counted. Answers the status written; null if it was not running.</summary>
    Task<JobStatus?> RequeueAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Queued → canceled; running → canceling; finished → conflict.</summary>
    Task<(TransitionOutcome Outcome, JobStatus? Status)> CancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes a finished job; queued or running → conflict.</summary>
    Task<TransitionOutcome> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>At start: jobs a crash left running go back to the queue, or fail after <paramref name="maxAttempts"/>.</summary>
    Task<RecoveryReport> RecoverAsync(int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes finished jobs that finished before <paramref name="cutoff"/>.</summary>
    Task<int> PurgeFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
