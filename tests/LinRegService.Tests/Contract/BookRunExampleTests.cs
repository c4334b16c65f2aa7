using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Contract;

/// <summary>The document's job examples are what the service really answers for the book's run (seeds 42 and 7).</summary>
public sealed class BookRunExampleTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task The_examples_equal_the_services_answers_but_for_id_times_and_durations()
    {
        JsonObject document = await DocumentAsync();
        JsonNode submitExample = document["paths"]!["/api/jobs"]!["post"]!["responses"]!["202"]!["content"]!["application/json"]!["example"]!;
        JsonNode getExample = document["paths"]!["/api/jobs/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;

        using HttpResponseMessage submitted = await _client.PostJsonAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
        JsonObject queued = await submitted.ReadJsonAsync(HttpStatusCode.Accepted);
        string id = (string)queued["id"]!;
        await _client.WaitForStatusAsync(id, Contracts.JobStatus.Succeeded);
        JsonObject finished = await _client.GetJobJsonAsync(id);

        AssertSameRun(submitExample, queued);
        AssertSameRun(getExample, finished);
        Assert.Equal("succeeded", (string?)getExample["status"]);
        Assert.Equal(3, getExample["epochLosses"]!.AsArray().Count);
    }

    /// <summary>Equal once what differs between any two runs (id, times, measured durations) is set aside.</summary>
    private static void AssertSameRun(JsonNode example, JsonObject answer)
    {
        JsonNode expected = WithoutRunIdentity(example);
        JsonNode actual = WithoutRunIdentity(answer);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"example:\n{expected.ToJsonString()}\nanswer:\n{actual.ToJsonString()}");
    }

    private static JsonObject WithoutRunIdentity(JsonNode job)
    {
        JsonObject copy = job.DeepClone().AsObject();
        foreach (string name in new[] { "id", "createdAt", "startedAt", "finishedAt" })
        {
            Assert.True(copy.Remove(name), $"no {name} in {job.ToJsonString()}");
        }
        (copy["result"] as JsonObject)?.Remove("timings");
        return copy;
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using HttpResponseMessage response = await _client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }
}
