using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>The Retry-After of a full queue follows how fast jobs have been finishing, on the service's fake clock.</summary>
public sealed class RetryAfterTests(RetryAfterTests.SlowCompletions service) : IClassFixture<RetryAfterTests.SlowCompletions>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Three_jobs_finished_in_the_last_minute_make_retry_after_twenty_seconds()
    {
        for (int i = 0; i < 3; i++)
        {
            Job job = await _client.SubmitAsync();
            Assert.Equal(JobStatus.Succeeded, (await _client.WaitForFinishAsync(job.Id)).Status);
            service.Clock.Advance(TimeSpan.FromSeconds(20));
        }
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Job waiting = await _client.SubmitAsync();
        try
        {
            using HttpResponseMessage full = await _client.PostJsonAsync("{}");

            System.Text.Json.Nodes.JsonObject problem = await Problem.AssertAsync(full, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(20, (int?)problem["retryAfterSeconds"]);
            Assert.Equal(TimeSpan.FromSeconds(20), full.Headers.RetryAfter?.Delta); // 60 s / 3 completions, above the floor of 1
        }
        finally
        {
            (await _client.CancelAsync(waiting.Id)).Dispose();
            (await _client.CancelAsync(running.Id)).Dispose();
        }
        await _client.WaitForFinishAsync(running.Id);
    }

    /// <summary>One worker, one place in the queue, a floor of 1 s, the fake clock.</summary>
    public sealed class SlowCompletions : FakeClockFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:MaxQueued"] = "1",
            ["Jobs:RetryAfterSeconds"] = "1",
        };
    }
}
