using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>Early stopping through the API: epochs is the maximum, and the result says when and that it stopped.</summary>
public sealed class EarlyStoppingTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_run_on_its_noise_floor_stops_after_patience_epochs_without_improvement()
    {
        Job job = await _client.SucceededAsync("""
            { "dataset": { "seed": 42 }, "training": { "epochs": 1000, "tolerance": 1e-7, "patience": 3, "seed": 7 } }
            """);

        Assert.True(job.Result!.StoppedEarly);
        Assert.InRange(job.Result.EpochsRun, 4, 999);
        Assert.Equal(job.Result.EpochsRun, job.EpochLosses.Count);
        Assert.Equal(new JobProgress(job.Result.EpochsRun, job.Result.EpochsRun), job.Progress);
        double best = job.EpochLosses.Take(job.EpochLosses.Count - 3).Min();
        Assert.All(job.EpochLosses.TakeLast(3), loss => Assert.True(loss > best - 1e-7, $"{loss} improved on {best}"));
        Assert.Equal(1e-7, job.Request.Training!.Tolerance);
        Assert.Equal(3, job.Request.Training.Patience);
    }

    [Fact]
    public async Task Without_a_tolerance_every_epoch_runs()
    {
        Job job = await _client.SucceededAsync("""{ "training": { "epochs": 30, "patience": 1 } }""");

        Assert.False(job.Result!.StoppedEarly);
        Assert.Equal(30, job.Result.EpochsRun);
        Assert.Null(job.Request.Training!.Tolerance);
    }
}
