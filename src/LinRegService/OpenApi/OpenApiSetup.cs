using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// Swagger UI at <c>/swagger</c> and the OpenAPI document at <c>/swagger/v1/swagger.json</c>,
/// derived from the endpoints' typed results and the contracts' XML comments. On unless
/// <c>Swagger:Enabled</c> is false.
/// </summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddServiceOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSingleton<RequestBodyTypes>();
        services.AddSingleton<BookRunExample>();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "LinRegService",
                Version = "v1",
                Description = "Trains linear-regression models by minibatch stochastic gradient descent, as in the chapter "
                    + "\"Linear Regression Implementation from Scratch\". Submit a job, then poll it for status, per-epoch losses, "
                    + "learned weights and dataset samples.",
            });
            string contractsXml = Path.Combine(AppContext.BaseDirectory, "LinRegService.Contracts.xml");
            if (File.Exists(contractsXml))
            {
                options.IncludeXmlComments(contractsXml);
            }
            // What can be null and what is always sent, from the serializer's contract (ContractSchemaFilter);
            // references inside allOf, so a nullable one can say so in 3.0 and every one keeps its description.
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.SchemaFilter<ContractSchemaFilter>();
            // The limits the service enforces, read from the settings and constants it enforces them with.
            options.SchemaFilter<RequestFieldsFilter>();
            options.OperationFilter<ParameterLimitsFilter>();
            // What the answers look like: the book's run computed by the engine, headers, the health words.
            options.OperationAsyncFilter<BookRunResponseExamples>();
            options.OperationFilter<ResponseHeadersFilter>();
            options.OperationFilter<HealthResponsesFilter>();
            options.OperationFilter<JobRequestExamples>();
            options.OperationFilter<StatusFilterSchema>();
        });
        return services;
    }

    public static WebApplication UseServiceOpenApi(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Swagger:Enabled", defaultValue: true))
        {
            return app;
        }
        app.UseSwagger(options => options.PreSerializeFilters.Add(ServerEntry.FromRequest));
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "LinRegService v1");
            options.DocumentTitle = "LinRegService";
        });
        return app;
    }
}

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

/// <summary>The list's <c>status</c> filter is bound as text (to accept the contract's lower-case words); document it as the JobStatus enum.</summary>
internal sealed class StatusFilterSchema : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "ListJobs" || operation.Parameters is null)
        {
            return;
        }
        foreach (IOpenApiParameter parameter in operation.Parameters)
        {
            if (parameter is OpenApiParameter { Name: "status" } status)
            {
                status.Schema = context.SchemaGenerator.GenerateSchema(typeof(Contracts.JobStatus), context.SchemaRepository);
                status.Description = "Only jobs with this status (applied before the limit).";
            }
        }
    }
}
