using LinRegService.Storage;

namespace LinRegService.Jobs;

/// <summary>How a submission ended; the endpoint turns each case into its HTTP answer.</summary>
internal abstract record SubmissionOutcome
{
    /// <summary>Queued now, or the job an earlier submission with the same idempotency key and body made.</summary>
    public sealed record Accepted(JobRecord Job) : SubmissionOutcome;

    /// <summary>Bad fields, each with its messages.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : SubmissionOutcome;

    /// <summary>The request is well formed but clashes with the state of another job (or an idempotency key's earlier body).</summary>
    public sealed record Conflict(string Title, string? Detail, Dictionary<string, string[]>? Errors) : SubmissionOutcome;

    /// <summary>The job's run needs an estimated <paramref name="EstimatedBytes"/> of memory, more than <paramref name="MaxJobBytes"/>.</summary>
    public sealed record TooLarge(long EstimatedBytes, long MaxJobBytes) : SubmissionOutcome;

    /// <summary>
    /// The caller's quota <paramref name="Quota"/> (its contract name) is at <paramref name="Limit"/> with
    /// <paramref name="Used"/>; <paramref name="SingleJob"/> when this job alone is over it, so no wait helps (413, else 429 with <paramref name="RetryAfterSeconds"/>).
    /// </summary>
    public sealed record OverQuota(string Quota, long Limit, long Used, bool SingleJob, int RetryAfterSeconds = 0) : SubmissionOutcome;

    /// <summary>The queue holds <paramref name="MaxQueued"/> jobs already.</summary>
    public sealed record QueueFull(int MaxQueued, int RetryAfterSeconds) : SubmissionOutcome;
}
