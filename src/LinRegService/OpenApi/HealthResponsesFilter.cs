using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>The health answers are one word, the health report's status: say which word each status code carries.</summary>
internal sealed class HealthResponsesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId is not ("Live" or "Ready") || operation.Responses is null)
        {
            return;
        }
        foreach ((string status, IOpenApiResponse response) in operation.Responses)
        {
            HealthStatus[] words = status == "200" ? [HealthStatus.Healthy] : [HealthStatus.Unhealthy, HealthStatus.Degraded];
            foreach (OpenApiMediaType media in response.Content?.Values ?? [])
            {
                if (media.Schema is OpenApiSchema schema)
                {
                    schema.Enum = [.. words.Select(word => (JsonNode)JsonValue.Create(word.ToString()))];
                }
            }
        }
    }
}
