using LinRegService.Contracts;

namespace LinRegService.Storage;

/// <summary>Job statuses as the store writes them: the same lower-case words as the API.</summary>
internal static class StatusText
{
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

    public static JobStatus Parse(string text) =>
        TryParse(text, out JobStatus status) ? status : throw new InvalidOperationException($"Unknown job status '{text}' in the store.");

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
