using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>A job past its <c>maxRuntimeSeconds</c> fails with "max runtime exceeded", on a fake clock.</summary>
public sealed class MaxRuntimeTests(FakeClockFixture service) : IClassFixture<FakeClockFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Job_past_its_max_runtime_fails_with_max_runtime_exceeded()
    {
        Job queued = await _client.SubmitAsync(Requests.LongJob(extraTraining: """, "maxRuntimeSeconds": 10"""));
        await _client.WaitForStatusAsync(queued.Id, JobStatus.Running);

        // Just short of the limit by the service's clock the job still runs; past it, it fails (well within its 30 s lease).
        service.Clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(JobStatus.Running, (await _client.GetJobAsync(queued.Id)).Status);
        service.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("max runtime exceeded", job.Error?.Message, StringComparison.Ordinal);
        Assert.Null(job.Result);
        Assert.Equal(10, job.Request.Training!.MaxRuntimeSeconds);
        System.Text.Json.Nodes.JsonObject json = await _client.GetJobJsonAsync(queued.Id);
        Assert.Equal("failed", (string?)json["status"]);
        Assert.Contains("max runtime exceeded", (string?)json["error"]!["message"], StringComparison.Ordinal);
    }
}
