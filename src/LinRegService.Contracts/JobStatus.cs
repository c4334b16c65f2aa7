namespace LinRegService.Contracts;

/// <summary>Where a job is in its life; serialized as lower-case strings ("queued", "running", …).</summary>
public enum JobStatus
{
    /// <summary>Waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is generating the data or training.</summary>
    Running,

    /// <summary>A cancel was asked for while it ran; it stops at the next training step.</summary>
    Canceling,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Finished with an error (see the job's <c>error</c>).</summary>
    Failed,

    /// <summary>Canceled before it finished.</summary>
    Canceled,
}

/// <summary>Helpers on <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>Whether the job will not change any more.</summary>
    public static bool IsFinished(this JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;
}
