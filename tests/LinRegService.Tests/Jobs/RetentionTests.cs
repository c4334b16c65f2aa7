using System.Diagnostics;
using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>Finished jobs older than <c>Jobs:Retention</c> are removed by the background cleaner, on a fake clock.</summary>
public sealed class RetentionTests(RetentionTests.DayRetention service) : IClassFixture<RetentionTests.DayRetention>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_finished_job_is_removed_once_the_retention_period_has_passed()
    {
        Job job = await _client.SubmitAsync();
        Assert.Equal(JobStatus.Succeeded, (await _client.WaitForFinishAsync(job.Id)).Status);

        // A day and one sweep interval later by the service's clock, the next sweep finds it expired.
        service.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceGoneAsync($"/api/jobs/{job.Id}"));
    }

    [Fact]
    public async Task A_sweep_goes_with_its_jobs()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [1, 2] } }""");
        Assert.Equal(SweepStatus.Finished, (await _client.WaitForSweepAsync(sweep.Id)).Status);

        service.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceGoneAsync($"/api/sweeps/{sweep.Id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/jobs/{sweep.Jobs[0].JobId}")).StatusCode);
    }

    [Fact]
    public async Task A_sweep_is_purged_whole_only_once_its_last_job_is_past_the_cutoff()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [1, 2] } }""");
        Job alone = await _client.SubmitAsync("{}");
        // One job of the sweep and one job alone end now; the sweep's other job waits behind the long one.
        await _client.CancelAsync(sweep.Jobs[1].JobId);
        await _client.CancelAsync(alone.Id);
        service.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceGoneAsync($"/api/jobs/{alone.Id}")); // the purge ran
        Sweep now = await _client.GetSweepAsync(sweep.Id);
        Assert.Equal(2, now.Progress.Total); // the sweep's old job waits for its last one

        await _client.CancelAsync(running.Id);
        Assert.Equal(SweepStatus.Canceled, (await _client.WaitForSweepAsync(sweep.Id)).Status);
        service.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceGoneAsync($"/api/sweeps/{sweep.Id}"));
    }

    /// <summary>Polls until the resource is gone (the purge runs on the cleaner's thread), bounded so a broken cleaner fails.</summary>
    private async Task<HttpStatusCode> StatusOnceGoneAsync(string url)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await _client.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return response.StatusCode;
            }
            await Task.Delay(20);
        }
    }

    public sealed class DayRetention : FakeClockFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:Retention"] = "1.00:00:00",
            ["Jobs:RetentionSweepInterval"] = "01:00:00",
        };
    }
}
