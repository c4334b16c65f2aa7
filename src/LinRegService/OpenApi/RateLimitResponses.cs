using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The rate limiter's 429 on every <c>/api</c> operation (RateLimits/RateLimitSetup.cs); on a
/// submission the same status also means a quota. Its <c>Retry-After</c> comes from <see cref="ResponseHeadersFilter"/>.
/// </summary>
internal sealed class RateLimitResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }
        operation.Responses ??= [];
        IOpenApiSchema problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        string description = operation.OperationId == "SubmitJob"
            ? "Too Many Requests: the key's submissions are over `RateLimits:SubmitsPerSecond`, or its quota `maxActiveJobs` or "
                + "`maxStoredBytes` is used up (the problem's `quota`, `limit` and `used` say which)."
            : operation.OperationId == "WatchJob"
                ? "Too Many Requests: the key's calls are over `RateLimits:ReadsPerSecond`, or it holds `Events:MaxStreamsPerKey` streams open."
                : "Too Many Requests: the key's calls are over `RateLimits:ReadsPerSecond`.";
        operation.Responses["429"] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }
}
