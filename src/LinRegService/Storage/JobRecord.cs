using LinRegService.Contracts;

namespace LinRegService.Storage;

/// <summary>A job as the store keeps it.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    /// <summary>Insertion order: newest first in lists, oldest first in the queue.</summary>
    public long Sequence { get; init; }

    public required JobStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The request with every default and seed filled in.</summary>
    public required JobRequest Request { get; init; }

    /// <summary>Where a warm start begins (kept with the job, so a rerun does not need the source job).</summary>
    public WarmStart? WarmStart { get; init; }

    public IReadOnlyList<double> EpochLosses { get; init; } = [];

    public JobResult? Result { get; init; }

    public JobSamples? Samples { get; init; }

    public string? ErrorMessage { get; init; }

    public int Attempts { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Hash of the request body that came with <see cref="IdempotencyKey"/>.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The run's estimated peak memory in bytes, set at submission; 0 for a job stored before estimates (it always fits).</summary>
    public long PeakBytes { get; init; }

    /// <summary>The id of the API key that submitted the job; null for a job of no key (made without keys, or before they existed).</summary>
    public string? Owner { get; init; }

    /// <summary>The sweep the job is a grid point of; null for a job submitted alone.</summary>
    public string? SweepId { get; init; }

    /// <summary>The submitting key's role (<c>admin</c>, <c>user</c>; <c>none</c> without keys), for the job metrics; null for a job stored before telemetry.</summary>
    public string? OwnerRole { get; init; }

    /// <summary>The submission's W3C <c>traceparent</c>: every attempt's span continues that trace, on any replica.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>A sweep as the store keeps it: its request (the base with seeds drawn, and the grid); its state is its jobs'.</summary>
public sealed record SweepRecord(string Id, DateTimeOffset CreatedAt, string? Owner, SweepRequest Request, int JobCount)
{
    /// <summary>Insertion order: newest first in lists.</summary>
    public long Sequence { get; init; }

    /// <summary>The submission's Idempotency-Key (unique per owner, as a job's), and the hash of the body that came with it.</summary>
    public string? IdempotencyKey { get; init; }

    public string? RequestHash { get; init; }
}

/// <summary>The learned parameters a warm-started job begins from.</summary>
public sealed record WarmStart(IReadOnlyList<float> Weights, float Bias);

/// <summary>A job's progress as an event stream re-reads it.</summary>
/// <param name="Status">The status now.</param>
/// <param name="Attempts">Starts so far: a new one means the losses started again.</param>
/// <param name="LossCount">Epoch losses stored now.</param>
/// <param name="NewLosses">The losses after the epochs the reader knew, in epoch order.</param>
public sealed record JobProgressSnapshot(JobStatus Status, int Attempts, int LossCount, IReadOnlyList<double> NewLosses);

/// <summary>
/// What a claim did: the job it claimed, if any, and the lapsed jobs it ended on the way (a
/// canceling one canceled, one out of attempts failed), with their owners' roles.
/// </summary>
public sealed record ClaimResult(JobRecord? Job, IReadOnlyList<SettledJob> Settled)
{
    /// <summary>The job's last attempt never ended (its replica died or lost its lease): this claim takes it over.</summary>
    public bool Reclaimed { get; init; }

    /// <summary>The job's first start: the time it waited since its submission is the queue's.</summary>
    public bool FirstClaim { get; init; }
}

/// <summary>A lapsed job a claim ended: <see cref="JobStatus.Canceled"/> or <see cref="JobStatus.Failed"/> (out of attempts).</summary>
public sealed record SettledJob(JobStatus Status, string? OwnerRole);

/// <summary>Jobs queued, and jobs running or canceling, on every replica.</summary>
public sealed record QueueCounts(int Queued, int Running);

/// <summary>A page of jobs and the sequence number to continue below, if any.</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Items, long? NextBefore);

/// <summary>What one owner's jobs use now.</summary>
/// <param name="ActiveJobs">Queued, running or canceling.</param>
/// <param name="StoredJobs">All of its stored jobs.</param>
/// <param name="StoredBytes">The length of their stored JSON (request, warm start, result, samples): an estimate of what they take.</param>
public sealed record OwnerUsage(int ActiveJobs, int StoredJobs, long StoredBytes);

/// <summary>What a requested transition found.</summary>
public enum TransitionOutcome
{
    /// <summary>The job does not exist.</summary>
    NotFound,

    /// <summary>The job was in a state that does not allow it.</summary>
    Conflict,

    /// <summary>Done.</summary>
    Done,
}

/// <summary>What start-up recovery did with jobs a crash left running.</summary>
/// <param name="Requeued">Put back in the queue.</param>
/// <param name="Failed">Failed for having used up their attempts.</param>
/// <param name="Canceled">Had a cancel pending, now canceled.</param>
public sealed record RecoveryReport(int Requeued, int Failed, int Canceled);

/// <summary>Who claims a job, for how long at a time, and how many starts a job may take.</summary>
/// <param name="Owner">The claiming worker's process, unique per process start.</param>
/// <param name="Duration">How long a claim holds without renewal.</param>
/// <param name="MaxAttempts">Starts after which a job whose lease lapsed fails instead of running again.</param>
/// <param name="MemoryRoom">Bytes the claimer has room for: the next job is claimed only if its estimate fits (else nothing is, so the queue's order holds).</param>
public sealed record Lease(string Owner, TimeSpan Duration, int MaxAttempts, long MemoryRoom = long.MaxValue);
