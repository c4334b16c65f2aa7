using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Events;
using LinRegService.Queue;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Events;

/// <summary>
/// Two service instances on one PostgreSQL database (<c>LINREG_TEST_POSTGRES</c>; skipped without
/// it): the job runs on one, the stream is read from the other, whose workers are removed and
/// whose fallback re-read is ten minutes away, so only the store's notifications can move it.
/// </summary>
public sealed class PostgresEventStreamTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task A_watcher_on_another_replica_sees_every_epoch_and_done_through_notifications()
    {
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Events:RecheckInterval"] = "00:10:00" };
        using var runner = new ServiceFactory(database.ConnectionString, settings);
        using var watcherHost = new ServiceFactory(database.ConnectionString, settings);
        using WebApplicationFactory<Program> watcher = watcherHost.WithWebHostBuilder(web => web.ConfigureTestServices(Workers.Remove));
        using HttpClient runnerClient = runner.CreateClient();
        using HttpClient watcherClient = watcher.CreateClient();

        Job submitted = await watcherClient.SubmitAsync(Requests.LongJob(examples: 200_000, features: 8, epochs: 25));
        var clock = Stopwatch.StartNew();
        List<JobEvent> events = await watcherClient.ReadAllEventsAsync(submitted.Id, TimeSpan.FromSeconds(60));
        string seen = JobEvents.Describe(events);

        Assert.Equal(0, watcher.Services.GetRequiredService<RunningJobs>().Count);
        Assert.Equal(Enumerable.Range(1, 25), events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Epoch));
        Assert.Equal((await runnerClient.GetJobAsync(submitted.Id)).EpochLosses, events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Loss));
        Assert.Equal(JobStatus.Succeeded, events[^1].Done!.Status);
        Assert.Contains(events, e => e.Job?.Status == JobStatus.Running);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}: {seen}");
        Assert.Equal(0, watcher.Services.GetRequiredService<JobChangeFeed>().WatchCount);
    }

    [PostgresFact]
    public async Task Plots_and_the_dashboard_come_from_a_replica_that_did_not_run_the_job()
    {
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" };
        using var runner = new ServiceFactory(database.ConnectionString, settings);
        using var otherHost = new ServiceFactory(database.ConnectionString, settings);
        using WebApplicationFactory<Program> other = otherHost.WithWebHostBuilder(web => web.ConfigureTestServices(Workers.Remove));
        using HttpClient runnerClient = runner.CreateClient();
        using HttpClient otherClient = other.CreateClient();

        Job submitted = await runnerClient.SubmitAsync();
        Job done = await otherClient.WaitForFinishAsync(submitted.Id);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        SvgPlot loss = await SvgPlot.GetAsync(otherClient, $"/api/jobs/{done.Id}/plots/loss.svg");
        Assert.Equal(3, loss.Markers);
        Assert.Contains("Loss per epoch", loss.Texts);
        SvgPlot data = await SvgPlot.GetAsync(otherClient, $"/api/jobs/{done.Id}/plots/data.svg?feature=0");
        Assert.Equal(1000, data.Markers);
        using HttpResponseMessage page = await otherClient.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, other.Services.GetRequiredService<RunningJobs>().Count);
    }
}
