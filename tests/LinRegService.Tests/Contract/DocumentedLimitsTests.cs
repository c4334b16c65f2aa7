using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinRegService.Tests.Contract;

/// <summary>
/// Every bound the document states is the one the service enforces: just past it is a 400 naming
/// the field, and at it (or just inside an exclusive one) the field is accepted. The bounds are read
/// from the document, so a new one is tested as soon as it is documented.
/// </summary>
public sealed class DocumentedLimitsTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    /// <summary>The request schemas and where their fields sit in a request (and in the errors' names).</summary>
    private static readonly Dictionary<string, string> _requestSchemas = new()
    {
        ["JobRequest"] = "",
        ["DatasetRequest"] = "dataset",
        ["TrainingRequest"] = "training",
        ["OutliersRequest"] = "dataset.outliers",
    };

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Request_fields_are_refused_just_past_each_documented_bound_and_accepted_at_it()
    {
        JsonObject document = await DocumentAsync();
        var checkedBounds = new List<string>();

        foreach ((string schemaName, string section) in _requestSchemas)
        {
            foreach ((string name, JsonNode? schema) in document["components"]!["schemas"]![schemaName]!["properties"]!.AsObject())
            {
                string field = section.Length == 0 ? name : $"{section}.{name}";
                foreach (Boundary bound in Boundary.Of(schema!.AsObject()))
                {
                    using HttpResponseMessage refused = await _client.PostJsonAsync(RequestWith(section, name, bound.Outside));
                    await Problem.AssertBadFieldsAsync(refused, field);
                    Dictionary<string, string[]> errors = await ResolveAsync(RequestWith(section, name, bound.Inside));
                    Assert.False(errors.ContainsKey(field), $"{field} = {bound.Inside.ToJsonString()} ({bound.Name}) is refused: {string.Join(" ", errors.GetValueOrDefault(field) ?? [])}");
                    checkedBounds.Add($"{field} {bound.Name}");
                }
            }
        }

        Assert.Contains("dataset.examples maximum", checkedBounds);
        Assert.Contains("training.learningRate exclusiveMinimum", checkedBounds);
        Assert.Contains("dataset.weights maxItems", checkedBounds);
        Assert.Contains("training.decayFactor maximum", checkedBounds);
        Assert.Contains("dataset.outliers.rows maxItems", checkedBounds);
    }

    [Fact]
    public async Task Query_and_header_parameters_are_refused_just_past_each_documented_bound_and_accepted_at_it()
    {
        JsonObject document = await DocumentAsync();
        Job job = await _client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
        await _client.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
        Sweep sweep = await _client.WaitForSweepAsync((await _client.SubmitSweepAsync("""{ "grid": { "training.learningRate": [0.03] } }""")).Id);
        StoredDataset dataset = await LinRegService.Tests.Datasets.DatasetsApi.UploadDatasetAsync(_client, "a,b,y\n1,2,3\n4,5,6\n7,8,9\n");
        var checkedBounds = new List<string>();

        foreach ((string path, JsonNode? operations) in document["paths"]!.AsObject())
        {
            foreach ((string method, JsonNode? operation) in operations!.AsObject())
            {
                foreach (JsonNode? parameter in operation!["parameters"]?.AsArray() ?? [])
                {
                    string name = (string)parameter!["name"]!;
                    string where = (string)parameter["in"]!;
                    foreach (Boundary bound in Boundary.Of(parameter["schema"]!.AsObject()))
                    {
                        string id = path.StartsWith("/api/sweeps", StringComparison.Ordinal) ? sweep.Id
                            : path.StartsWith("/api/datasets", StringComparison.Ordinal) ? dataset.Id : job.Id;
                        using HttpResponseMessage refused = await SendAsync(method, path, id, where, name, bound.Outside);
                        await Problem.AssertBadFieldsAsync(refused, name);
                        using HttpResponseMessage accepted = await SendAsync(method, path, id, where, name, bound.Inside);
                        Assert.True(accepted.IsSuccessStatusCode,
                            $"{method} {path} with {name} = {bound.Inside} ({bound.Name}): {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
                        checkedBounds.Add($"{path} {name} {bound.Name}");
                    }
                }
            }
        }

        Assert.Contains("/api/jobs limit maximum", checkedBounds);
        Assert.Contains("/api/jobs/{id}/samples count maximum", checkedBounds);
        Assert.Contains("/api/jobs/{id}/plots/data.svg feature minimum", checkedBounds);
        Assert.Contains("/api/jobs Idempotency-Key maxLength", checkedBounds);
        Assert.Contains("/api/sweeps Idempotency-Key maxLength", checkedBounds);
        Assert.Contains("/api/sweeps/{id}/plots/losses.svg width maximum", checkedBounds);
        Assert.Contains("/api/datasets limit maximum", checkedBounds);
        Assert.Contains("/api/datasets/{id}/rows count maximum", checkedBounds);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string id, string where, string name, JsonNode value)
    {
        string text = value is JsonValue scalar && scalar.TryGetValue(out string? s) ? s : value.ToJsonString();
        string url = path.Replace("{id}", id, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), new Uri(where == "query" ? $"{url}?{name}={Uri.EscapeDataString(text)}" : url, UriKind.Relative));
        if (where == "header")
        {
            request.Headers.Add(name, text);
        }
        if (method == "post" && path == "/api/jobs")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }
        if (method == "post" && path == "/api/datasets")
        {
            request.Content = new StringContent($"a,y\n{Guid.NewGuid().GetHashCode()},1\n", System.Text.Encoding.UTF8, "text/csv");
        }
        if (method == "post" && path == "/api/sweeps")
        {
            request.Content = new StringContent("""{ "grid": { "training.seed": [1] } }""", System.Text.Encoding.UTF8, "application/json");
        }
        return _client.SendAsync(request);
    }

    /// <summary>What the service's own resolver says of a request, without creating a job (an accepted bound can be a large one).</summary>
    private async Task<Dictionary<string, string[]>> ResolveAsync(string json)
    {
        using IServiceScope scope = service.Factory.Services.CreateScope();
        JsonSerializerOptions options = scope.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        JobRequest request = JsonSerializer.Deserialize<JobRequest>(json, options)!;
        (_, Dictionary<string, string[]> errors, _) = await scope.ServiceProvider.GetRequiredService<JobRequestResolver>().ResolveAsync(request, CancellationToken.None);
        return errors;
    }

    private static string RequestWith(string section, string name, JsonNode value)
    {
        JsonObject node = new() { [name] = value.DeepClone() };
        foreach (string part in section.Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            node = new JsonObject { [part] = node };
        }
        return node.ToJsonString();
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using HttpResponseMessage response = await _client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }
}
