namespace LinRegService.RateLimits;

/// <summary>Endpoint metadata: the call makes work (a job, later a sweep or a dataset) and spends the submissions' budget.</summary>
internal sealed class SubmissionRateLimit
{
    public static SubmissionRateLimit Instance { get; } = new();

    private SubmissionRateLimit()
    {
    }
}

internal static class SubmissionRateLimitExtensions
{
    /// <summary>Counts the endpoint's calls against <c>RateLimits:SubmitsPerSecond</c> rather than the reads' budget.</summary>
    public static TBuilder CountsAsSubmission<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SubmissionRateLimit.Instance);
}
