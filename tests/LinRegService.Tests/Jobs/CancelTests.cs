using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary><c>POST /api/jobs/{id}/cancel</c> on one worker: queued at once, running within seconds, finished 409.</summary>
public sealed class CancelTests(SingleWorkerFixture service) : IClassFixture<SingleWorkerFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Queued_job_is_canceled_at_once()
    {
        Job blocker = await StartLongJobAsync();
        try
        {
            Job queued = await _client.SubmitAsync();
            Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(queued.Id)).Status);

            using HttpResponseMessage response = await _client.CancelAsync(queued.Id);
            string body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("\"status\":\"canceled\"", body, StringComparison.Ordinal);
            Job canceled = await _client.GetJobAsync(queued.Id);
            Assert.Equal(JobStatus.Canceled, canceled.Status);
            Assert.Equal(0, canceled.Attempts);
            Assert.Null(canceled.StartedAt);
            Assert.NotNull(canceled.FinishedAt);
            Assert.Null(canceled.Result);
        }
        finally
        {
            await CancelAndWaitAsync(blocker.Id);
        }
    }

    [Fact]
    public async Task Running_job_is_canceling_then_canceled_within_five_seconds()
    {
        Job running = await StartLongJobAsync();

        var clock = Stopwatch.StartNew();
        using HttpResponseMessage response = await _client.CancelAsync(running.Id);
        Job answer = await response.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        Assert.Contains(answer.Status, new[] { JobStatus.Canceling, JobStatus.Canceled });

        Job canceled = await _client.WaitForFinishAsync(running.Id, TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"canceled after {clock.Elapsed}");
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Null(canceled.Result);
        Assert.Null(canceled.Error);
        Assert.True(canceled.EpochLosses.Count < 50, "the job ran to the end instead of stopping");
    }

    [Fact]
    public async Task Canceling_twice_while_it_runs_is_still_accepted()
    {
        Job running = await StartLongJobAsync();

        using HttpResponseMessage first = await _client.CancelAsync(running.Id);
        using HttpResponseMessage second = await _client.CancelAsync(running.Id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        // The job may stop between the two calls: then, and only then, the second is the conflict of a canceled job.
        if (second.StatusCode == HttpStatusCode.Conflict)
        {
            JsonObject problem = await Problem.AssertAsync(second, HttpStatusCode.Conflict);
            Assert.Contains("has already finished (canceled)", (string?)problem["detail"], StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Job answered = ApiJson.Read<Job>(await second.Content.ReadAsStringAsync());
            Assert.True(answered.Status is JobStatus.Canceling or JobStatus.Canceled, $"second cancel answered {answered.Status}");
        }
        Assert.Equal(JobStatus.Canceled, (await _client.WaitForFinishAsync(running.Id, TimeSpan.FromSeconds(5))).Status);
    }

    [Fact]
    public async Task Finished_job_cannot_be_canceled()
    {
        Job queued = await _client.SubmitAsync();
        Assert.Equal(JobStatus.Succeeded, (await _client.WaitForFinishAsync(queued.Id)).Status);

        using HttpResponseMessage response = await _client.CancelAsync(queued.Id);

        await Problem.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(JobStatus.Succeeded, (await _client.GetJobAsync(queued.Id)).Status);
    }

    [Fact]
    public async Task Canceled_job_cannot_be_canceled_again()
    {
        Job blocker = await StartLongJobAsync();
        await CancelAndWaitAsync(blocker.Id);

        using HttpResponseMessage response = await _client.CancelAsync(blocker.Id);

        await Problem.AssertAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_job_is_404()
    {
        using HttpResponseMessage response = await _client.CancelAsync("no-such-job");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    private async Task<Job> StartLongJobAsync()
    {
        Job job = await _client.SubmitAsync(Requests.LongJob());
        return await _client.WaitForStatusAsync(job.Id, JobStatus.Running);
    }

    private async Task CancelAndWaitAsync(string id)
    {
        using HttpResponseMessage response = await _client.CancelAsync(id);
        Assert.Equal(JobStatus.Canceled, (await _client.WaitForFinishAsync(id, TimeSpan.FromSeconds(10))).Status);
    }
}
