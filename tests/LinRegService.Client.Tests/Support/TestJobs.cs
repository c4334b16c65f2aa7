using System.Diagnostics;
using LinRegService.Contracts;

namespace LinRegService.Client.Tests.Support;

/// <summary>Requests the tests share, and a bounded wait for a status that is not final.</summary>
public static class TestJobs
{
    /// <summary>A request that would train for minutes (100,000 × 16 values, 10,000 epochs); tests cancel it.</summary>
    public static JobRequest LongRunning() => new()
    {
        Dataset = new DatasetRequest
        {
            Weights = [.. Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 1f : -1f)],
            Examples = 100_000,
            Seed = 11,
        },
        Training = new TrainingRequest { Epochs = 10_000, Seed = 12 },
        SampleCount = 0,
    };

    /// <summary>A request that diverges and fails within milliseconds.</summary>
    public static JobRequest Diverging() => new() { Training = new TrainingRequest { LearningRate = 10 } };

    /// <summary>Polls until the job has <paramref name="status"/>; fails after 30 s.</summary>
    public static async Task<Job> WaitForStatusAsync(this ILinRegServiceClient client, string id, JobStatus status)
    {
        var clock = Stopwatch.StartNew();
        Job job = await client.GetAsync(id);
        while (job.Status != status)
        {
            Assert.False(job.Status.IsFinished(), $"job {id} finished as {job.Status} before reaching {status}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"job {id} still {job.Status} after 30 s");
            await Task.Delay(20);
            job = await client.GetAsync(id);
        }
        return job;
    }
}
