using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinRegService.Tests.Hosting;

/// <summary>The OpenAPI document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>.</summary>
public sealed class OpenApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Theory]
    [InlineData("/api/jobs", "post")]
    [InlineData("/api/jobs", "get")]
    [InlineData("/api/jobs/{id}", "get")]
    [InlineData("/api/jobs/{id}", "delete")]
    [InlineData("/api/jobs/{id}/cancel", "post")]
    [InlineData("/api/jobs/{id}/samples", "get")]
    [InlineData("/health/live", "get")]
    [InlineData("/health/ready", "get")]
    public async Task Document_lists_the_endpoint(string path, string method)
    {
        JsonObject document = await GetDocumentAsync();

        JsonObject paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey(path), $"no path {path}; paths: {string.Join(", ", paths.Select(p => p.Key))}");
        Assert.True(paths[path]!.AsObject().ContainsKey(method), $"{path} has no {method}: {paths[path]!.ToJsonString()}");
    }

    [Fact]
    public async Task JobStatus_schema_is_an_enum_of_the_six_lower_case_statuses()
    {
        JsonObject document = await GetDocumentAsync();

        JsonNode? schema = document["components"]?["schemas"]?["JobStatus"];
        Assert.True(schema is JsonObject, "no JobStatus schema");
        Assert.Equal(
            ["canceled", "canceling", "failed", "queued", "running", "succeeded"],
            schema["enum"]!.AsArray().Select(v => (string?)v).Order());
    }

    [Fact]
    public async Task Submit_has_the_book_and_seed_request_examples()
    {
        JsonObject document = await GetDocumentAsync();

        JsonNode? examples = document["paths"]?["/api/jobs"]?["post"]?["requestBody"]?["content"]?["application/json"]?["examples"];
        Assert.True(examples is JsonObject, $"no request examples: {document["paths"]?["/api/jobs"]?["post"]?.ToJsonString()}");
        Assert.True(examples.AsObject().ContainsKey("book"));
        Assert.True(examples.AsObject().ContainsKey("seed"));
        Assert.Equal(42, (int?)examples["book"]!["value"]!["dataset"]!["seed"]);
    }

    [Fact]
    public async Task Swagger_ui_answers()
    {
        using HttpClient client = service.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using HttpResponseMessage response = await client.GetAsync("/swagger");

        if (response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found or HttpStatusCode.MovedPermanently)
        {
            Assert.EndsWith("index.html", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using HttpResponseMessage index = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonObject> GetDocumentAsync()
    {
        using HttpResponseMessage response = await _client.GetAsync("/swagger/v1/swagger.json");
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }
}
