using System.Net;
using System.Text;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Bad input: 400 <c>application/problem+json</c> whose <c>errors</c> name each bad field, the
/// right status for unreadable bodies, never a 500, and nothing created.
/// </summary>
public sealed class ValidationTests(ValidationTests.SmallLimits service) : IClassFixture<ValidationTests.SmallLimits>
{
    private readonly HttpClient _client = service.CreateClient();

    [Theory]
    [InlineData("""{ "dataset": { "weights": [] } }""", "dataset.weights")]
    [InlineData("""{ "dataset": { "weights": [1, 2, 3, 4, 5, 6, 7, 8, 9] } }""", "dataset.weights")]
    [InlineData("""{ "dataset": { "weights": [1e39, 1] } }""", "dataset.weights[0]")]
    [InlineData("""{ "dataset": { "weights": [1, -1e39] } }""", "dataset.weights[1]")]
    [InlineData("""{ "dataset": { "bias": 1e39 } }""", "dataset.bias")]
    [InlineData("""{ "dataset": { "examples": 0 } }""", "dataset.examples")]
    [InlineData("""{ "dataset": { "examples": -3 } }""", "dataset.examples")]
    [InlineData("""{ "dataset": { "examples": 100001 } }""", "dataset.examples")]
    [InlineData("""{ "dataset": { "noiseStd": -1 } }""", "dataset.noiseStd")]
    [InlineData("""{ "dataset": { "featureStd": 0 } }""", "dataset.featureStd")]
    [InlineData("""{ "dataset": { "seed": -1 } }""", "dataset.seed")]
    [InlineData("""{ "training": { "learningRate": 0 } }""", "training.learningRate")]
    [InlineData("""{ "training": { "learningRate": -1 } }""", "training.learningRate")]
    [InlineData("""{ "training": { "batchSize": 0 } }""", "training.batchSize")]
    [InlineData("""{ "training": { "batchSize": 1001 } }""", "training.batchSize")]
    [InlineData("""{ "dataset": { "examples": 50 }, "training": { "batchSize": 51 } }""", "training.batchSize")]
    [InlineData("""{ "training": { "epochs": 0 } }""", "training.epochs")]
    [InlineData("""{ "training": { "epochs": 10001 } }""", "training.epochs")]
    [InlineData("""{ "training": { "initStd": -1 } }""", "training.initStd")]
    [InlineData("""{ "training": { "seed": 9007199254740992 } }""", "training.seed")]
    [InlineData("""{ "training": { "maxRuntimeSeconds": 0 } }""", "training.maxRuntimeSeconds")]
    [InlineData("""{ "training": { "maxRuntimeSeconds": -2 } }""", "training.maxRuntimeSeconds")]
    [InlineData("""{ "training": { "maxRuntimeSeconds": 601 } }""", "training.maxRuntimeSeconds")]
    [InlineData("""{ "sampleCount": -1 }""", "sampleCount")]
    [InlineData("""{ "sampleCount": 1001 }""", "sampleCount")]
    public async Task Bad_field_is_a_400_naming_it(string body, string field)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertBadFieldsAsync(response, field);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Several_bad_fields_are_reported_together()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync("""
            {
              "dataset": { "examples": 0, "noiseStd": -1, "featureStd": 0 },
              "training": { "learningRate": 0, "epochs": 0, "initStd": -1, "maxRuntimeSeconds": 0 },
              "sampleCount": -1
            }
            """);

        System.Text.Json.Nodes.JsonObject problem = await Problem.AssertBadFieldsAsync(response,
            "dataset.examples", "dataset.noiseStd", "dataset.featureStd",
            "training.learningRate", "training.epochs", "training.initStd", "training.maxRuntimeSeconds", "sampleCount");
        Assert.Equal(8, problem["errors"]!.AsObject().Count);
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("""{ "dataset": """)]
    [InlineData("""{ "dataset": { "weights": [1, 2,] } }""")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"a string\"")]
    [InlineData("""{ "dataset": [] }""")]
    [InlineData("""{ "dataset": { "weights": "two" } }""")]
    [InlineData("""{ "dataset": { "examples": "many" } }""")]
    [InlineData("""{ "dataset": { "examples": 1.5 } }""")]
    [InlineData("""{ "dataset": { "examples": 1e10 } }""")]
    [InlineData("""{ "training": { "warmStartFrom": 5 } }""")]
    [InlineData("""{ "dataset": { "examples": 2147483648 } }""")]
    [InlineData("""{ "training": { "seed": 1e400 } }""")]
    [InlineData("""{ "sampleCount": "10" }""")]
    [InlineData("""{ "training": { "learningRat": 0.1 } }""")]
    public async Task Unreadable_body_is_a_400_problem(string body)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("""{ "dataset": { "bias": "4.2" } }""", "dataset.bias")]
    [InlineData("""{ "training": { "epochs": 2.5 } }""", "training.epochs")]
    [InlineData("""{ "datasett": {} }""", "datasett")]
    public async Task Unreadable_value_names_its_field(string body, string field)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertBadFieldsAsync(response, field);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Deeply_nested_body_is_a_400_problem()
    {
        string body = "{ \"dataset\": " + new string('[', 200) + new string(']', 200) + " }";

        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Xml_content_type_is_a_415()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/xml");
        using HttpResponseMessage response = await _client.PostAsync("/api/jobs", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("""{ "datasett": {} }""")]
    [InlineData("""{ "dataset": { "weight": [1] } }""")]
    [InlineData("""{ "training": { "learningRat": 0.1 } }""")]
    public async Task Unknown_field_is_a_400_problem(string body)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Text_plain_is_a_415_problem()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await _client.PostAsync("/api/jobs", content);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Body_over_the_limit_is_a_413_problem()
    {
        // Valid JSON, padded past Jobs:MaxRequestBytes (8 KiB here), sent with its Content-Length.
        string body = "{ \"sampleCount\": 1" + new string(' ', 20_000) + "}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        Assert.True(content.Headers.ContentLength > 8192);

        using HttpResponseMessage response = await _client.PostAsync("/api/jobs", content);

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task Unknown_job_is_a_404_problem()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs/no-such-job");

        System.Text.Json.Nodes.JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-job", (string?)problem["detail"], StringComparison.Ordinal);
    }

    private async Task AssertNothingCreatedAsync()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs?limit=100");
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(ApiJson.Parse(body)["items"]!.AsArray());
    }

    /// <summary>Small limits, so "too many" stays a small body: 8 features, 100 000 rows, 10 min, 8 KiB.</summary>
    public sealed class SmallLimits : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Limits:MaxFeatures"] = "8",
            ["Jobs:Limits:MaxExamples"] = "100000",
            ["Jobs:MaxRuntime"] = "00:10:00",
            ["Jobs:MaxRequestBytes"] = "8192",
        };
    }
}
