namespace LinRegService.Storage;

/// <summary>
/// What a new job must fit, checked by the store in the same step as the insert: the queue
/// (every owner's queued jobs) and the owner's quotas (its active jobs and stored bytes).
/// </summary>
public sealed record AddLimits(int MaxQueued, int MaxActiveJobs = int.MaxValue, long MaxStoredBytes = long.MaxValue);

/// <summary>How <see cref="IJobStore.AddAsync(JobRecord, AddLimits, CancellationToken)"/> ended.</summary>
public abstract record AddResult
{
    /// <summary>The job is queued now, or (a taken idempotency key) the job that holds the key.</summary>
    public sealed record Added(JobRecord Job) : AddResult;

    /// <summary>An idempotency key is taken already (a sweep's, or a job's whose holder was deleted since): nothing was added.</summary>
    public sealed record KeyTaken : AddResult;

    /// <summary>The queue holds its limit already.</summary>
    public sealed record QueueFull : AddResult;

    /// <summary>The owner's quota <paramref name="Quota"/> (its contract name) would pass <paramref name="Limit"/>; <paramref name="Used"/> is the use now.</summary>
    public sealed record OverQuota(string Quota, long Limit, long Used) : AddResult;
}
