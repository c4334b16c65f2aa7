using Microsoft.AspNetCore.Http.HttpResults;

namespace LinRegService.Jobs;

/// <summary>The RFC 9457 problems the job endpoints answer with.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"No job has the id '{id}'.");

    /// <summary>The stored dataset a finished job trained on has been deleted since: its rows can no longer be read.</summary>
    public static ProblemHttpResult DatasetDeleted(string jobId, string datasetId) =>
        Conflict("The job's dataset was deleted", $"Job '{jobId}' trained on dataset '{datasetId}', which has been deleted; its rows can no longer be read.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult Conflict(string title, string? detail, IDictionary<string, string[]>? errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: title,
            detail: detail,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>A key's quota held: 413 when the job alone is over it, else 429 (wait for jobs to finish, or delete some).</summary>
    public static ProblemHttpResult OverQuota(SubmissionOutcome.OverQuota over) => TypedResults.Problem(
        statusCode: over.SingleJob ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status429TooManyRequests,
        title: over.SingleJob ? "The job is over the key's quota" : "The key's quota is used up",
        detail: over.SingleJob
            ? $"The job's {over.Quota} is {over.Used}; this key allows at most {over.Limit}. Ask for fewer examples, features or epochs."
            : $"The key's {over.Quota} is {over.Limit} and it uses {over.Used}. Wait for its jobs to finish, or delete finished ones.",
        extensions: new Dictionary<string, object?> { ["quota"] = over.Quota, ["limit"] = over.Limit, ["used"] = over.Used });

    public static ValidationProblem BadField(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
