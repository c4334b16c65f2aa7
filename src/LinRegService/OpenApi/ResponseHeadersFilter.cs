using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>The response headers clients act on: where an accepted job lives, when to retry a full queue, a quota or a rate limit, and the plots' ETag.</summary>
internal sealed class ResponseHeadersFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is null)
        {
            return;
        }
        foreach ((string status, IOpenApiResponse response) in operation.Responses)
        {
            if (response is not OpenApiResponse target)
            {
                continue;
            }
            if (status == "202" && operation.OperationId is "SubmitJob" or "CancelJob")
            {
                Add(target, "Location", "The job's address, `/api/jobs/{id}`.", JsonSchemaType.String);
            }
            if (status == "201" && operation.OperationId == "UploadDataset")
            {
                Add(target, "Location", "The dataset's address, `/api/datasets/{id}`.", JsonSchemaType.String);
            }
            if ((status == "503" && operation.OperationId == "SubmitJob") || status == "429")
            {
                Add(target, "Retry-After", "Seconds to wait before trying again.", JsonSchemaType.Integer);
            }
            if (status is "200" or "304" && operation.OperationId?.Contains("Plot", StringComparison.Ordinal) == true)
            {
                Add(target, "ETag", "Names the job's state the picture shows; send it back as `If-None-Match` for a 304 while it is unchanged.",
                    JsonSchemaType.String);
                if (status == "304")
                {
                    target.Description = "Not Modified: the request's If-None-Match names the picture's current ETag; no body.";
                }
            }
        }
    }

    private static void Add(OpenApiResponse response, string name, string description, JsonSchemaType type)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = new OpenApiSchema { Type = type } };
    }
}
