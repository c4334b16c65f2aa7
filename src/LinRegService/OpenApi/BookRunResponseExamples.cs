using System.Text.Json;
using LinRegService.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>The book's run as the example of the submission's answer (queued) and of reading the job (succeeded).</summary>
internal sealed class BookRunResponseExamples(BookRunExample book, IOptions<JsonOptions> json) : IOperationAsyncFilter
{
    public async Task ApplyAsync(OpenApiOperation operation, OperationFilterContext context, CancellationToken cancellationToken)
    {
        string? status = operation.OperationId switch
        {
            "SubmitJob" => "202",
            "GetJob" => "200",
            _ => null,
        };
        if (status is null || operation.Responses is null || !operation.Responses.TryGetValue(status, out IOpenApiResponse? response)
            || response.Content is null || !response.Content.TryGetValue("application/json", out OpenApiMediaType? media))
        {
            return;
        }
        BookRunJobs jobs = await book.GetAsync();
        Job example = status == "202" ? jobs.Submitted : jobs.Finished;
        media.Example = JsonSerializer.SerializeToNode(example, json.Value.SerializerOptions);
    }
}
