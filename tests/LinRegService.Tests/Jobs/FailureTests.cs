using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>Jobs that fail: past their max runtime, or diverging; the reason is in <c>error.message</c>.</summary>
public sealed class FailureTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Too_large_a_learning_rate_fails_with_diverged()
    {
        Job queued = await _client.SubmitAsync("""{ "dataset": { "featureStd": 1 }, "training": { "learningRate": 10 } }""");

        Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("diverged", job.Error?.Message, StringComparison.Ordinal);
        Assert.Null(job.Result);
        System.Text.Json.Nodes.JsonObject json = await _client.GetJobJsonAsync(queued.Id);
        Assert.Equal("failed", (string?)json["status"]);
        Assert.Contains("diverged", (string?)json["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_max_runtime_is_the_servers_cap()
    {
        Job queued = await _client.SubmitAsync("""{ "sampleCount": 0 }""");

        Assert.Equal(3600, queued.Request.Training!.MaxRuntimeSeconds);
        await _client.WaitForFinishAsync(queued.Id);
    }
}
