using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Memory admission: two idle workers, a budget that holds one long job but not two, and a largest
/// job a little over one. The second long job waits queued while the first runs; a job twice the
/// size is refused at submission.
/// </summary>
public sealed class MemoryAdmissionTests(MemoryAdmissionTests.OneLongJobOfMemory service) : IClassFixture<MemoryAdmissionTests.OneLongJobOfMemory>
{
    /// <summary>What <see cref="Requests.LongJob"/> (2M × 16, 50 epochs) is estimated to need.</summary>
    public static readonly long LongJobBytes = LinearRegressionRun.EstimatePeakBytes(
        new DatasetSpec([.. Enumerable.Repeat(1f, 16)], 0f, 2_000_000, 0.01f, 1f, 11), new TrainingOptions { Epochs = 50 }, new TrainingLimits());

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Two_jobs_that_fit_alone_but_not_together_run_one_after_the_other()
    {
        Job first = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(first.Id, JobStatus.Running);
        Job second = await _client.SubmitAsync(Requests.LongJob());
        try
        {
            // While the first trains three more epochs, the idle worker leaves the second queued.
            int from = (await _client.GetJobAsync(first.Id)).Progress.Epoch;
            var clock = Stopwatch.StartNew();
            while ((await _client.GetJobAsync(first.Id)) is { Status: JobStatus.Running } running && running.Progress.Epoch < from + 3)
            {
                Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(second.Id)).Status);
                Assert.True(clock.Elapsed < JobsApi.DefaultWait, $"the first job made no progress: {running.Progress.Epoch} epochs");
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
            Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(second.Id)).Status);

            (await _client.CancelAsync(first.Id)).Dispose();
            await _client.WaitForFinishAsync(first.Id);
            await _client.WaitForStatusAsync(second.Id, JobStatus.Running);
        }
        finally
        {
            (await _client.CancelAsync(first.Id)).Dispose();
            (await _client.CancelAsync(second.Id)).Dispose();
        }
        await _client.WaitForFinishAsync(second.Id);
    }

    [Fact]
    public async Task A_job_over_the_largest_size_is_a_413_naming_its_estimate_and_the_limit()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(Requests.LongJob(examples: 4_000_000));

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
        long estimate = (long)problem["estimatedBytes"]!;
        long limit = (long)problem["maxJobBytes"]!;
        Assert.Equal(OneLongJobOfMemory.MaxJobBytes, limit);
        Assert.InRange(estimate, 2 * LongJobBytes - (64L << 20), 2 * LongJobBytes);
        string detail = (string)problem["detail"]!;
        Assert.Contains(estimate.ToString(CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);
        Assert.Contains(limit.ToString(CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);
        Assert.Empty((await _client.ListAsync("?status=queued")).Items);
    }

    /// <summary>Two workers; a budget of 1.5 long jobs; the largest job 1.2 long jobs.</summary>
    public sealed class OneLongJobOfMemory : ServiceFixture
    {
        public static readonly long MaxJobBytes = LongJobBytes * 6 / 5;

        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "2",
            ["Jobs:MemoryBudgetBytes"] = (LongJobBytes * 3 / 2).ToString(CultureInfo.InvariantCulture),
            ["Jobs:MaxJobBytes"] = MaxJobBytes.ToString(CultureInfo.InvariantCulture),
        };
    }
}
