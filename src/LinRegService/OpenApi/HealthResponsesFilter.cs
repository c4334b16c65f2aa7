using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The health answers are one word, the health report's status: 200 carries "Healthy", 503 another
/// status's name. Said as a pattern and an example, not an enum: NSwag's client turns a text/plain
/// enum into a cast from the text that always fails.
/// </summary>
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
}
