using System.Text.Json.Nodes;
using LinRegService.Health;
using LinRegService.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The health answers. Liveness is one word: 200 carries "Healthy", 503 another status's name, said
/// as a pattern and an example, not an enum (NSwag's client turns a text/plain enum into a cast from
/// the text that always fails). Readiness is a JSON report: an example of each answer, with this
/// service's queue settings.
/// </summary>
internal sealed class HealthResponsesFilter(IOptions<JobsOptions> options) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is null)
        {
            return;
        }
        if (operation.OperationId == "Live")
        {
            DescribeWords(operation.Responses);
        }
        else if (operation.OperationId == "Ready")
        {
            DescribeReports(operation.Responses, options.Value);
        }
    }

    private static void DescribeWords(OpenApiResponses responses)
    {
        foreach ((string status, IOpenApiResponse response) in responses)
        {
            string[] words = status == "200"
                ? [nameof(HealthStatus.Healthy)]
                : [.. Enum.GetNames<HealthStatus>().Where(name => name != nameof(HealthStatus.Healthy))];
            foreach (OpenApiMediaType media in response.Content?.Values ?? [])
            {
                media.Example = JsonValue.Create(words[0]);
                if (media.Schema is OpenApiSchema schema)
                {
                    schema.Pattern = $"^({string.Join('|', words)})$";
                }
            }
        }
    }

    private static void DescribeReports(OpenApiResponses responses, JobsOptions settings)
    {
        int workers = settings.EffectiveWorkers;
        foreach ((string status, IOpenApiResponse response) in responses)
        {
            bool ready = status == "200";
            var checks = new JsonObject
            {
                ["store"] = Check(ready, ready ? "The job store answers." : "The job store did not answer."),
                ["workers"] = Check(true, $"{workers} workers running."),
                [ReadinessReports.QueueCheck] = Check(ready, ready
                    ? $"3 of {settings.MaxQueued} places in the queue taken; {workers} of {workers} workers busy."
                    : "The queue could not be counted: the job store did not answer."),
            };
            JsonObject? queue = ready
                ? new JsonObject
                {
                    [QueueHealthCheck.Keys.Queued] = 3,
                    [QueueHealthCheck.Keys.Running] = workers,
                    [QueueHealthCheck.Keys.Workers] = workers,
                    [QueueHealthCheck.Keys.MaxQueued] = settings.MaxQueued,
                    [QueueHealthCheck.Keys.Saturation] = 3.0 / settings.MaxQueued,
                }
                : null;
            foreach (OpenApiMediaType media in response.Content?.Values ?? [])
            {
                media.Example = new JsonObject { ["status"] = ready ? "Healthy" : "Unhealthy", ["checks"] = checks.DeepClone(), ["queue"] = queue?.DeepClone() };
            }
        }
    }

    private static JsonObject Check(bool healthy, string description) =>
        new() { ["status"] = healthy ? "Healthy" : "Unhealthy", ["description"] = description };
}
