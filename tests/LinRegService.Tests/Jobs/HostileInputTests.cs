using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Requests from a hostile-input corpus that used to create jobs, crash the serializer, or leak
/// .NET wording: each is a 4xx problem that names what is wrong, in words, and creates nothing.
/// </summary>
public sealed class HostileInputTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Theory]
    // Finite inputs whose generated rows, labels or sums would overflow float32.
    [InlineData("""{"dataset":{"weights":[3e38],"bias":3e38}}""", "dataset.weights", "dataset.bias")]
    [InlineData("""{"dataset":{"featureStd":3e38}}""", "dataset.featureStd")]
    [InlineData("""{"dataset":{"noiseStd":3e38}}""", "dataset.noiseStd")]
    [InlineData("""{"dataset":{"weights":[1e20,1e20],"featureStd":1e20}}""", "dataset.featureStd")]
    [InlineData("""{"dataset":{"weights":[1e20,1e20]}}""", "dataset.weights")]
    [InlineData("""{"dataset":{"weights":[1],"featureStd":1e-15,"noiseStd":1e30}}""", "dataset.noiseStd")]
    [InlineData("""{"dataset":{"bias":1e16}}""", "dataset.bias")]
    // A limit no job can meet.
    [InlineData("""{"training":{"maxRuntimeSeconds":5e-324}}""", "training.maxRuntimeSeconds")]
    // Ambiguous JSON: the same key twice, also in another case.
    [InlineData("""{"dataset":{"bias":1,"bias":2}}""", "dataset.bias")]
    [InlineData("""{"dataset":{"bias":1,"Bias":2}}""", "dataset.Bias")]
    [InlineData("""{"training":{},"training":{}}""", "training")]
    // Not an object: {} is the book's run, these are not.
    [InlineData("null", "body")]
    [InlineData("", "body")]
    [InlineData("[]", "body")]
    [InlineData("42", "body")]
    public async Task Is_a_400_naming_the_fields_and_creates_nothing(string body, params string[] fields)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, fields);
        AssertInWords(problem);
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("""{"dataset":{"bias":"4.2"}}""", "dataset.bias", "must be a number")]
    [InlineData("""{"dataset":{"examples":1.5}}""", "dataset.examples", "must be a whole number")]
    [InlineData("""{"dataset":{"weights":"two"}}""", "dataset.weights", "must be an array")]
    [InlineData("""{"dataset":[]}""", "dataset", "must be a JSON object")]
    [InlineData("""{"training":{"learningRat":0.1}}""", "training.learningRat", "not a field")]
    [InlineData("""{"dataset":{"weights":[1,}}""", "dataset.weights[1]", "malformed")]
    public async Task Unreadable_json_says_where_and_what_in_words(string body, string field, string words)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, field);
        Assert.Contains(words, (string?)problem["errors"]![field]![0], StringComparison.OrdinalIgnoreCase);
        AssertInWords(problem);
    }

    [Fact]
    public async Task A_body_in_an_encoding_the_service_does_not_decode_is_a_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentEncoding.Add("gzip");

        using HttpResponseMessage response = await _client.SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("a1", "b2")]
    [InlineData("a1,b2")]
    [InlineData("key with spaces")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public async Task An_idempotency_key_that_is_not_one_safe_value_is_a_400(params string[] values)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        foreach (string value in values)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Idempotency-Key", value));
        }

        using HttpResponseMessage response = await _client.SendAsync(request);

        await Problem.AssertBadFieldsAsync(response, "Idempotency-Key");
        await AssertNothingCreatedAsync();
    }

    private static void AssertInWords(JsonObject problem)
    {
        string text = problem.ToJsonString();
        foreach (string jargon in (string[])["System.", "Nullable", "Int32", "Single", ".NET", "LinRegService."])
        {
            Assert.DoesNotContain(jargon, text, StringComparison.Ordinal);
        }
    }

    private async Task AssertNothingCreatedAsync()
    {
        Contracts.JobList jobs = await _client.ListAsync("?limit=100");
        Assert.Empty(jobs.Items);
    }
}
