namespace LinRegService.Contracts;

/// <summary>Job statuses as words: the lower-case names the JSON, query strings and stores use ("succeeded").</summary>
public static class JobStatusText
{
    /// <summary>The status's word.</summary>
    public static string Of(JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Canceling => "canceling",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The status a word names; throws for any other word (a store holding one is corrupt).</summary>
    public static JobStatus Parse(string text) =>
        TryParse(text, out JobStatus status) ? status : throw new InvalidOperationException($"Unknown job status '{text}' in the job store.");

    /// <summary>The status a word names, if it names one.</summary>
    public static bool TryParse(string text, out JobStatus status)
    {
        (bool known, status) = text switch
        {
            "queued" => (true, JobStatus.Queued),
            "running" => (true, JobStatus.Running),
            "canceling" => (true, JobStatus.Canceling),
            "succeeded" => (true, JobStatus.Succeeded),
            "failed" => (true, JobStatus.Failed),
            "canceled" => (true, JobStatus.Canceled),
            _ => (false, default),
        };
        return known;
    }
}
