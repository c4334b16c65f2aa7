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
            options.OperationFilter<RateLimitResponses>(); // before ResponseHeadersFilter, which gives every 429 its Retry-After
            options.OperationFilter<ResponseHeadersFilter>();
            options.OperationFilter<HealthResponsesFilter>();
            options.OperationFilter<JobRequestExamples>();
            options.OperationFilter<StatusFilterSchema>();
            options.OperationFilter<DatasetUploadBody>();
            // Who may call: the Bearer API key, on each operation that needs one (Swagger UI's "Authorize").
            options.AddSecurityDefinition(ApiKeySecurity.SchemeId, ApiKeySecurity.Scheme);
            options.OperationFilter<ApiKeySecurity>();
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
