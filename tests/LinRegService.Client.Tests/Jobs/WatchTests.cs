using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary><c>WatchAsync</c> reads the service's event stream: status first, every epoch in order, done last.</summary>
public sealed class WatchTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_run_is_watched_from_its_first_status_to_done()
    {
        Job submitted = await Client.SubmitAsync(new JobRequest { Training = new TrainingRequest { Epochs = 20 } });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        List<JobEvent> events = [];
        await foreach (JobEvent item in Client.WatchAsync(submitted.Id, limit.Token))
        {
            events.Add(item);
        }

        Assert.Equal(JobEventNames.Status, events[0].Name);
        Assert.Equal(submitted.Id, events[0].Job!.Id);
        Assert.Equal(JobEventNames.Done, events[^1].Name);
        Assert.Equal(new DoneEvent(submitted.Id, JobStatus.Succeeded), events[^1].Done);
        Assert.Equal(Enumerable.Range(1, 20), events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Epoch));
        Job finished = await Client.GetAsync(submitted.Id);
        Assert.Equal(finished.EpochLosses, events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Loss));
        Assert.Equal("/api/jobs/" + submitted.Id + "/events", Sent[1]);
    }

    [Fact]
    public async Task A_finished_job_replays_and_ends()
    {
        Job done = await Client.WaitAsync((await Client.SubmitAsync(new JobRequest())).Id, TimeSpan.FromSeconds(30));

        List<string> names = [];
        await foreach (JobEvent item in Client.WatchAsync(done.Id))
        {
            names.Add(item.Name);
        }

        Assert.Equal([JobEventNames.Status, JobEventNames.Epoch, JobEventNames.Epoch, JobEventNames.Epoch, JobEventNames.Done], names);
    }

    [Fact]
    public async Task Unknown_job_is_a_404_exception()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(async () =>
        {
            await foreach (JobEvent item in Client.WatchAsync("no-such-job"))
            {
                Assert.Fail($"an event for a job that does not exist: {item.Name}");
            }
        });

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Watching_stops_when_canceled_while_the_job_runs_on()
    {
        Job running = await Client.SubmitAsync(TestJobs.LongRunning());
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (JobEvent item in Client.WatchAsync(running.Id, stop.Token))
            {
                await stop.CancelAsync(); // after the first event
            }
        });

        Assert.False((await Client.GetAsync(running.Id)).Status.IsFinished());
        await Client.CancelAsync(running.Id);
        Assert.Equal(JobStatus.Canceled, (await Client.WaitAsync(running.Id, TimeSpan.FromSeconds(30))).Status);
    }
}
