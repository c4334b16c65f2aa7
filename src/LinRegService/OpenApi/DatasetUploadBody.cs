using LinRegService.Datasets;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The upload's body, which the handler streams itself rather than binding: a CSV as
/// <c>text/csv</c>, or a <c>multipart/form-data</c> form with the CSV as its one <c>file</c>
/// (what Swagger UI and a browser's form send).
/// </summary>
internal sealed class DatasetUploadBody : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "UploadDataset")
        {
            return;
        }
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A header row naming the columns, then one row of numbers per example, e.g. `x1,x2,y\\n1.5,2,7.3\\n`.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [DatasetUploads.CsvMediaType] = new() { Schema = binary },
                [DatasetUploads.FormMediaType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The CSV file." },
                        },
                    },
                },
            },
        };
    }
}
