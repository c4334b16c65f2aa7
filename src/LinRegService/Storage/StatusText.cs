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

    public static JobStatus Parse(string text) => text switch
    {
        "queued" => JobStatus.Queued,
        "running" => JobStatus.Running,
        "canceling" => JobStatus.Canceling,
        "succeeded" => JobStatus.Succeeded,
        "failed" => JobStatus.Failed,
        "canceled" => JobStatus.Canceled,
        _ => throw new InvalidOperationException($"Unknown job status '{text}' in the store."),
    };
}
