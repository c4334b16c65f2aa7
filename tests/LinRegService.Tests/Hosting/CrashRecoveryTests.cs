using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// Jobs survive their host: a job interrupted by a stop or left running by a crash is run again by
/// the next host on the same SQLite file (or failed after <c>Jobs:MaxAttempts</c> starts).
/// </summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Job_interrupted_by_its_host_going_away_completes_on_a_new_host()
    {
        using var directory = new TempDirectory();
        string id;
        await using (var first = new ServiceFactory(directory.ConnectionString))
        {
            HttpClient client = first.CreateClient();
            id = (await client.SubmitAsync(Requests.LongJob(examples: 1_000_000, epochs: 20))).Id;
            await client.WaitForStatusAsync(id, JobStatus.Running);
        }
        (string status, _) = await JobsTable.ReadAsync(directory.ConnectionString, id);
        Assert.NotEqual("succeeded", status);

        await using var second = new ServiceFactory(directory.ConnectionString);
        Job job = await second.CreateClient().WaitForFinishAsync(id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.True(job.Attempts >= 1, $"attempts {job.Attempts}");
        Assert.Equal(20, job.EpochLosses.Count);
        Assert.Equal(new JobProgress(20, 20), job.Progress);
    }

    [Fact]
    public async Task Job_a_crash_left_running_is_queued_again_and_run()
    {
        using var directory = new TempDirectory();
        string id = await FinishedJobAsync(directory);
        await JobsTable.SetAsync(directory.ConnectionString, id, "running", attempts: 1);

        await using var second = new ServiceFactory(directory.ConnectionString);
        Job job = await second.CreateClient().WaitForAsync(id, j => j.Status.IsFinished() && j.Attempts == 2, "a second run");

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(3, job.EpochLosses.Count);
    }

    [Fact]
    public async Task Job_left_running_after_its_last_attempt_fails()
    {
        using var directory = new TempDirectory();
        string id = await FinishedJobAsync(directory);
        await JobsTable.SetAsync(directory.ConnectionString, id, "running", attempts: 3);

        await using var second = new ServiceFactory(directory.ConnectionString, new Dictionary<string, string?> { ["Jobs:MaxAttempts"] = "3" });
        Job job = await second.CreateClient().WaitForFinishAsync(id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("interrupted 3 times", job.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(3, job.Attempts);
    }

    [Fact]
    public async Task Job_left_canceling_is_canceled_at_start()
    {
        using var directory = new TempDirectory();
        string id = await FinishedJobAsync(directory);
        await JobsTable.SetAsync(directory.ConnectionString, id, "canceling", attempts: 1);

        await using var second = new ServiceFactory(directory.ConnectionString);
        Job job = await second.CreateClient().WaitForFinishAsync(id);

        Assert.Equal(JobStatus.Canceled, job.Status);
    }

    /// <summary>A small job run to the end on a host that is then stopped: a row to rewrite.</summary>
    private static async Task<string> FinishedJobAsync(TempDirectory directory)
    {
        await using var first = new ServiceFactory(directory.ConnectionString);
        HttpClient client = first.CreateClient();
        string id = (await client.SubmitAsync("""{ "sampleCount": 0 }""")).Id;
        Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(id)).Status);
        return id;
    }
}
