using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary><c>training.warmStartFrom</c> continues a succeeded job on its dataset from its learned parameters.</summary>
public sealed class WarmStartTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Continued_job_uses_the_same_dataset_and_starts_where_the_source_ended()
    {
        Job source = await _client.WaitForFinishAsync((await _client.SubmitAsync("""{ "training": { "epochs": 1 } }""")).Id);
        Assert.Equal(JobStatus.Succeeded, source.Status);

        Job queued = await _client.SubmitAsync($$"""{ "training": { "warmStartFrom": "{{source.Id}}", "epochs": 2 } }""");
        Job continued = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Succeeded, continued.Status);
        Assert.Equal(source.Id, continued.Request.Training!.WarmStartFrom);
        Assert.Equal(source.Request.Dataset!.Seed, continued.Request.Dataset!.Seed);
        Assert.Equal(source.Request, continued.Request with { Training = source.Request.Training }, RequestComparer.Instance);
        Assert.Equal(source.Samples!.Labels, continued.Samples!.Labels);
        Assert.Equal(2, continued.EpochLosses.Count);
        Assert.True(continued.EpochLosses[0] <= source.EpochLosses[^1],
            $"first loss {continued.EpochLosses[0]} is above the source's last {source.EpochLosses[^1]}: it did not continue");
    }

    [Fact]
    public async Task Unknown_source_is_a_400_naming_warmStartFrom()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync("""{ "training": { "warmStartFrom": "no-such-job" } }""");

        await Problem.AssertBadFieldsAsync(response, "training.warmStartFrom");
    }

    [Fact]
    public async Task Source_that_has_not_finished_is_a_409()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        try
        {
            using HttpResponseMessage response = await _client.PostJsonAsync($$"""{ "training": { "warmStartFrom": "{{running.Id}}" } }""");

            JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict);
            Assert.True(problem["errors"]?["training.warmStartFrom"] is JsonArray, problem.ToJsonString());
        }
        finally
        {
            (await _client.CancelAsync(running.Id)).Dispose();
        }
        await _client.WaitForFinishAsync(running.Id, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Failed_source_is_a_409()
    {
        Job failed = await _client.WaitForFinishAsync((await _client.SubmitAsync("""{ "training": { "learningRate": 10 } }""")).Id);
        Assert.Equal(JobStatus.Failed, failed.Status);

        using HttpResponseMessage response = await _client.PostJsonAsync($$"""{ "training": { "warmStartFrom": "{{failed.Id}}" } }""");

        await Problem.AssertAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Dataset_given_with_a_warm_start_is_a_400()
    {
        Job source = await _client.WaitForFinishAsync((await _client.SubmitAsync("""{ "training": { "epochs": 1 } }""")).Id);

        using HttpResponseMessage response = await _client.PostJsonAsync(
            $$"""{ "dataset": { "examples": 50 }, "training": { "warmStartFrom": "{{source.Id}}" } }""");

        await Problem.AssertBadFieldsAsync(response, "dataset");
    }
}
