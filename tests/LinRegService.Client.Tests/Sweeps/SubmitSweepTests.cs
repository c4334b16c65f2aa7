using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Sweeps;

/// <summary><c>SubmitSweepAsync</c>, <c>GetSweepAsync</c> and <c>WaitSweepAsync</c>: a grid of learning rates to the end, bad grids and unknown ids as typed exceptions.</summary>
public sealed class SubmitSweepTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_grid_of_learning_rates_is_queued_together_and_waited_to_finished()
    {
        Sweep queued = await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.01, 0.03, 0.1));

        Assert.Equal("/api/sweeps", Sent[0]);
        Assert.Equal(3, queued.Progress.Total);
        Assert.Equal([0.01, 0.03, 0.1], queued.Jobs.Select(j => j.LearningRate()));
        Sweep done = await Client.WaitSweepAsync(queued.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(SweepStatus.Finished, done.Status);
        Assert.Equal(new SweepProgress(3, 0, 0, 3, 0, 0), done.Progress);
        Assert.Equal(queued.Jobs.Select(j => j.JobId), done.Jobs.Select(j => j.JobId));
        Assert.All(done.Jobs, job =>
        {
            Assert.Equal(JobStatus.Succeeded, job.Status);
            Assert.Equal(3, job.EpochsRun);
            Assert.NotNull(job.FinalLoss);
            Assert.False(job.Diverged);
        });
        // The book's rate and the larger one reach the noise floor; the smallest is still on its way.
        SweepJob slowest = done.Jobs.Single(j => j.LearningRate() == 0.01);
        Assert.All(done.Jobs.Where(j => j != slowest), job => Assert.True(job.FinalSquaredLoss < slowest.FinalSquaredLoss));
        Assert.Contains(done.BestJobId, done.Jobs.Where(j => j != slowest).Select(j => j.JobId));
        // Each grid point is an ordinary job carrying the sweep's id, at its own rate.
        Job best = await Client.GetAsync(done.BestJobId!);
        Assert.Equal(done.Id, best.SweepId);
        Assert.Equal(done.Jobs.Single(j => j.JobId == best.Id).LearningRate(), best.Request.Training!.LearningRate!.Value, 6);
        Assert.All(Sent.Skip(1), path => Assert.True(path == "/api/sweeps/" + queued.Id || path == "/api/jobs/" + best.Id, path));
    }

    [Fact]
    public async Task A_diverging_rate_is_a_failed_job_of_a_finished_sweep()
    {
        Sweep done = await Client.WaitSweepAsync((await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.03, 10))).Id, TimeSpan.FromSeconds(60));

        Assert.Equal(SweepStatus.Finished, done.Status);
        SweepJob diverged = done.Jobs.Single(j => j.LearningRate() == 10);
        Assert.Equal(JobStatus.Failed, diverged.Status);
        Assert.True(diverged.Diverged);
        Assert.NotNull(diverged.Error);
        Assert.Equal(done.Jobs.Single(j => j.LearningRate() == 0.03).JobId, done.BestJobId);
    }

    [Fact]
    public async Task A_bad_grid_is_a_400_naming_the_field()
    {
        var request = new SweepRequest
        {
            Grid = new Dictionary<string, IReadOnlyList<System.Text.Json.JsonElement>> { ["training.noSuchField"] = SweepRequest.Values(1, 2) },
        };

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.SubmitSweepAsync(request));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains(error.Errors.Keys, key => key.Contains("noSuchField", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_sweep_is_a_404_exception()
    {
        var read = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetSweepAsync("no-such-sweep"));
        var watched = await Assert.ThrowsAsync<LinRegServiceException>(async () =>
        {
            await foreach (SweepStreamEvent item in Client.WatchSweepAsync("no-such-sweep"))
            {
                Assert.Fail($"an event for a sweep that does not exist: {item.Name}");
            }
        });

        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.Equal(HttpStatusCode.NotFound, watched.Status);
    }

    [Fact]
    public async Task Waiting_past_the_timeout_says_how_far_the_sweep_got()
    {
        Sweep running = await Client.SubmitSweepAsync(TestSweeps.LongRunning());

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => Client.WaitSweepAsync(running.Id, TimeSpan.FromMilliseconds(300)));

        Assert.Contains($"Sweep '{running.Id}'", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("of 2 jobs ended", timeout.Message, StringComparison.Ordinal);
        await Client.CancelSweepAsync(running.Id);
        Assert.Equal(SweepStatus.Canceled, (await Client.WaitSweepAsync(running.Id, TimeSpan.FromSeconds(60))).Status);
    }
}
