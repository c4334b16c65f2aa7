using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>Finished jobs older than <c>Jobs:Retention</c> are removed by the background cleaner.</summary>
public sealed class RetentionTests(RetentionTests.ShortRetention service) : IClassFixture<RetentionTests.ShortRetention>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_finished_job_is_removed_after_the_retention_period()
    {
        Job job = await _client.SubmitAsync();
        Job finished = await _client.WaitForFinishAsync(job.Id);
        Assert.Equal(JobStatus.Succeeded, finished.Status);

        // Retention 2 s, sweep every 1 s: gone within a few sweeps; bounded so a broken cleaner fails.
        HttpStatusCode status = HttpStatusCode.OK;
        for (int i = 0; i < 50 && status != HttpStatusCode.NotFound; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{job.Id}");
            status = response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    public sealed class ShortRetention : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Retention"] = "00:00:02",
            ["Jobs:RetentionSweepInterval"] = "00:00:01",
        };
    }
}
