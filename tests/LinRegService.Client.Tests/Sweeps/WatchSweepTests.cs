using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Sweeps;

/// <summary><c>WatchSweepAsync</c> reads the sweep's event stream: the sweep first, every job's epochs in order, done last.</summary>
public sealed class WatchSweepTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_sweep_is_watched_from_its_first_state_to_done_with_every_jobs_epochs()
    {
        SweepRequest request = TestSweeps.LearningRates(0.01, 0.03, 0.1) with
        {
            Base = TestSweeps.LearningRates().Base! with { Training = new TrainingRequest { Seed = 7, Epochs = 10 } },
        };
        Sweep submitted = await Client.SubmitSweepAsync(request);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        List<SweepStreamEvent> events = [];
        await foreach (SweepStreamEvent item in Client.WatchSweepAsync(submitted.Id, limit.Token))
        {
            events.Add(item);
        }

        Assert.Equal(SweepEventNames.Sweep, events[0].Name);
        Assert.Equal(submitted.Id, events[0].Sweep!.Id);
        Assert.Equal(3, events[0].Sweep!.Jobs.Count);
        Assert.Equal(SweepEventNames.Done, events[^1].Name);
        Assert.Equal(new SweepDoneEvent(submitted.Id, SweepStatus.Finished), events[^1].Done);
        Assert.Equal(1, events.Count(e => e.Name == SweepEventNames.Done));
        // The last sweep event before done has every job ended.
        Sweep last = events.Last(e => e.Name == SweepEventNames.Sweep).Sweep!;
        Assert.Equal(SweepStatus.Finished, last.Status);
        // Each job's epochs once, in order, with the losses the job itself keeps.
        foreach (SweepJob job in submitted.Jobs)
        {
            List<SweepEpochEvent> epochs = [.. events.Where(e => e.Name == SweepEventNames.Epoch && e.Epoch!.JobId == job.JobId).Select(e => e.Epoch!)];
            Assert.Equal(Enumerable.Range(1, 10), epochs.Select(e => e.Epoch));
            Job finished = await Client.GetAsync(job.JobId);
            Assert.Equal(finished.EpochLosses, epochs.Select(e => e.Loss));
        }
        Assert.Equal("/api/sweeps/" + submitted.Id + "/events", Sent[1]);
    }

    [Fact]
    public async Task A_finished_sweep_replays_and_ends()
    {
        Sweep done = await Client.WaitSweepAsync((await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.03, 0.1))).Id, TimeSpan.FromSeconds(60));

        List<string> names = [];
        await foreach (SweepStreamEvent item in Client.WatchSweepAsync(done.Id))
        {
            names.Add(item.Name);
        }

        Assert.Equal([SweepEventNames.Sweep, .. Enumerable.Repeat(SweepEventNames.Epoch, 6), SweepEventNames.Done], names);
    }
}
