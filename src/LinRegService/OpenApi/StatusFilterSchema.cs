using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

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
