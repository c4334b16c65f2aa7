using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>The two runs of the book as request examples of <c>POST /api/jobs</c>.</summary>
internal sealed class JobRequestExamples : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "SubmitJob" || operation.RequestBody?.Content is not { } content
            || !content.TryGetValue("application/json", out OpenApiMediaType? media))
        {
            return;
        }
        media.Examples = new Dictionary<string, IOpenApiExample>
        {
            ["book"] = new OpenApiExample
            {
                Summary = "The book's run",
                Description = "w = [2, -3.4], b = 4.2, 1000 examples, noise 0.01, features N(0, 1); lr 0.03, batch 10, 3 epochs.",
                Value = JsonNode.Parse("""
                    {
                      "dataset": { "weights": [2, -3.4], "bias": 4.2, "examples": 1000, "noiseStd": 0.01, "featureStd": 1.0, "seed": 42 },
                      "training": { "learningRate": 0.03, "batchSize": 10, "epochs": 3, "initStd": 0.01, "seed": 7 },
                      "sampleCount": 10
                    }
                    """),
            },
            ["seed"] = new OpenApiExample
            {
                Summary = "The seed notebook's printed run",
                Description = "Features N(0, 0.1²) and initial weights N(0, 0.1²), as the notebook's code has them; its losses were 0.0574, 0.0541, 0.0510.",
                Value = JsonNode.Parse("""
                    {
                      "dataset": { "weights": [2, -3.4], "bias": 4.2, "examples": 1000, "noiseStd": 0.01, "featureStd": 0.1 },
                      "training": { "learningRate": 0.03, "batchSize": 10, "epochs": 3, "initStd": 0.1 },
                      "sampleCount": 10
                    }
                    """),
            },
        };
    }
}
