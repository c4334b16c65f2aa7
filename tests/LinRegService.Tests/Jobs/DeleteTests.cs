using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary><c>DELETE /api/jobs/{id}</c>: only finished jobs go.</summary>
public sealed class DeleteTests(SingleWorkerFixture service) : IClassFixture<SingleWorkerFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Finished_job_is_deleted_and_then_gone()
    {
        Job queued = await _client.SubmitAsync();
        Assert.Equal(JobStatus.Succeeded, (await _client.WaitForFinishAsync(queued.Id)).Status);

        using HttpResponseMessage response = await _client.DeleteAsync($"/api/jobs/{queued.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using HttpResponseMessage get = await _client.GetAsync($"/api/jobs/{queued.Id}");
        await Problem.AssertAsync(get, HttpStatusCode.NotFound);
        Assert.DoesNotContain(queued.Id, (await _client.ListAsync("?limit=100")).Items.Select(j => j.Id));
        using HttpResponseMessage again = await _client.DeleteAsync($"/api/jobs/{queued.Id}");
        await Problem.AssertAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Failed_job_can_be_deleted()
    {
        Job queued = await _client.SubmitAsync("""{ "training": { "learningRate": 10 } }""");
        Assert.Equal(JobStatus.Failed, (await _client.WaitForFinishAsync(queued.Id)).Status);

        using HttpResponseMessage response = await _client.DeleteAsync($"/api/jobs/{queued.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Queued_and_running_jobs_cannot_be_deleted_until_canceled()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Job queued = await _client.SubmitAsync();
        try
        {
            using HttpResponseMessage deleteRunning = await _client.DeleteAsync($"/api/jobs/{running.Id}");
            using HttpResponseMessage deleteQueued = await _client.DeleteAsync($"/api/jobs/{queued.Id}");

            await Problem.AssertAsync(deleteRunning, HttpStatusCode.Conflict);
            await Problem.AssertAsync(deleteQueued, HttpStatusCode.Conflict);
            Assert.Equal(JobStatus.Running, (await _client.GetJobAsync(running.Id)).Status);
            Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(queued.Id)).Status);
        }
        finally
        {
            (await _client.CancelAsync(queued.Id)).Dispose();
            (await _client.CancelAsync(running.Id)).Dispose();
        }

        Assert.Equal(JobStatus.Canceled, (await _client.WaitForFinishAsync(running.Id, TimeSpan.FromSeconds(10))).Status);
        using HttpResponseMessage afterCancel = await _client.DeleteAsync($"/api/jobs/{running.Id}");
        Assert.Equal(HttpStatusCode.NoContent, afterCancel.StatusCode);
    }

    [Fact]
    public async Task Unknown_job_is_404()
    {
        using HttpResponseMessage response = await _client.DeleteAsync("/api/jobs/no-such-job");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }
}
