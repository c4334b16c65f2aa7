using System.Diagnostics;
using System.Globalization;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Memory admission at full size: three jobs of the largest dataset the limits allow (2^28 values,
/// 1 GiB of features each) on three workers, under a budget that holds two of them. The third waits,
/// never more than two run at once, and the process's memory stays within the budget.
/// </summary>
public sealed class LargeJobsMemoryTests(LargeJobsMemoryTests.TwoLargestJobsOfMemory service, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<LargeJobsMemoryTests.TwoLargestJobsOfMemory>
{
    private const int Examples = 1 << 20;
    private const int Features = 256; // Examples × Features = 2^28, the default Jobs:Limits:MaxValues

    /// <summary>What one such job is estimated to need (about 3.3 GiB).</summary>
    public static readonly long LargestJobBytes = LinearRegressionRun.EstimatePeakBytes(
        new DatasetSpec([.. Enumerable.Repeat(0.5f, Features)], 1f, Examples, 0.01f, 1f, 21), new TrainingOptions { Epochs = 2, BatchSize = 256 }, new TrainingLimits());

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Three_largest_jobs_under_a_budget_of_two_never_run_three_at_once_nor_pass_the_budget()
    {
        Assert.Equal((long)Examples * Features, new TrainingLimits().MaxValues);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        long baseline = self.WorkingSet64;

        string[] ids = new string[3];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (await _client.SubmitAsync(LargestJob(seed: 30 + i))).Id;
        }

        long peak = baseline;
        int mostRunning = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Job[] jobs = await Task.WhenAll(ids.Select(_client.GetJobAsync));
            mostRunning = Math.Max(mostRunning, jobs.Count(j => j.Status is JobStatus.Running or JobStatus.Canceling));
            self.Refresh();
            peak = Math.Max(peak, self.WorkingSet64);
            if (jobs.All(j => j.Status.IsFinished()))
            {
                Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
                break;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"the jobs did not finish: {string.Join(", ", jobs.Select(j => $"{j.Status} {j.Progress.Epoch}"))}");
            await Task.Delay(20);
        }

        long grown = peak - baseline;
        long budget = TwoLargestJobsOfMemory.Budget;
        output.WriteLine($"one job estimated at {LargestJobBytes >> 20} MiB; budget {budget >> 20} MiB; at most {mostRunning} ran at once; "
            + $"the process grew by {grown >> 20} MiB at its sampled peak, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(mostRunning == 2, $"{mostRunning} of the largest jobs ran at once under a budget of two");
        Assert.True(grown <= budget,
            $"the process grew by {grown >> 20} MiB at its sampled peak, over the budget of {budget >> 20} MiB (one job is estimated at {LargestJobBytes >> 20} MiB)");
    }

    private static string LargestJob(int seed)
    {
        string weights = string.Join(", ", Enumerable.Repeat("0.5", Features));
        return $$"""
            {
              "dataset": { "weights": [{{weights}}], "bias": 1, "examples": {{Examples}}, "seed": {{seed}} },
              "training": { "epochs": 2, "batchSize": 256, "seed": {{seed + 1}} },
              "sampleCount": 0
            }
            """;
    }

    /// <summary>Three workers and a budget of two and a half of the largest jobs.</summary>
    public sealed class TwoLargestJobsOfMemory : ServiceFixture
    {
        public static readonly long Budget = LargestJobBytes * 5 / 2;

        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "3",
            ["Jobs:MemoryBudgetBytes"] = Budget.ToString(CultureInfo.InvariantCulture),
        };
    }
}
