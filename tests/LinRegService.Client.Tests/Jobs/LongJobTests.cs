using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary>
/// A job that would run for minutes on the only worker: <c>CancelAsync</c> stops it, <c>WaitAsync</c>
/// gives up on its timeout or the caller's token, and the exceptions carry 409 and 503.
/// </summary>
public sealed class LongJobTests(LongJobTests.OneWorker service) : ClientTests(service), IClassFixture<LongJobTests.OneWorker>
{
    [Fact]
    public async Task Cancel_stops_a_running_job()
    {
        Job running = await StartLongJobAsync();

        Job answer = await Client.CancelAsync(running.Id);

        Assert.Contains(answer.Status, new[] { JobStatus.Canceling, JobStatus.Canceled });
        Job canceled = await Client.WaitAsync(running.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Null(canceled.Result);
        Assert.True(canceled.EpochLosses.Count < 10_000, "the job ran to its end instead of stopping");
    }

    [Fact]
    public Task Wait_past_its_timeout_throws_TimeoutException() => WithLongJobRunningAsync(async running =>
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Client.WaitAsync(running.Id, TimeSpan.FromMilliseconds(300)));

        Assert.Contains(running.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("last running", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Equal(JobStatus.Running, (await Client.GetAsync(running.Id)).Status);
    });

    [Fact]
    public Task Wait_stops_with_the_callers_token() => WithLongJobRunningAsync(async running =>
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Client.WaitAsync(running.Id, TimeSpan.FromMinutes(5), cancellationToken: stop.Token));

        Assert.Equal(stop.Token, error.CancellationToken);
        Assert.Equal(JobStatus.Running, (await Client.GetAsync(running.Id)).Status);
    });

    [Fact]
    public async Task Deleting_a_running_job_is_a_409()
    {
        string id = "";
        await WithLongJobRunningAsync(async running =>
        {
            id = running.Id;
            var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.DeleteAsync(running.Id));

            Assert.Equal(HttpStatusCode.Conflict, error.Status);
            Assert.Contains("cancel it first", error.Detail, StringComparison.Ordinal);
        });
        await Client.DeleteAsync(id);
    }

    [Fact]
    public Task Full_queue_is_a_503_exception_with_retry_after() => WithLongJobRunningAsync(async running =>
    {
        Job waiting = await Client.SubmitAsync(new JobRequest());
        try
        {
            var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.SubmitAsync(new JobRequest()));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
            Assert.Equal("The queue is full", error.Title);
        }
        finally
        {
            Assert.Equal(JobStatus.Canceled, (await Client.CancelAsync(waiting.Id)).Status);
        }
    });

    /// <summary>Runs <paramref name="test"/> while a long job holds the worker, then cancels the job.</summary>
    private async Task WithLongJobRunningAsync(Func<Job, Task> test)
    {
        Job running = await StartLongJobAsync();
        try
        {
            await test(running);
        }
        finally
        {
            await Client.CancelAsync(running.Id);
            Assert.Equal(JobStatus.Canceled, (await Client.WaitAsync(running.Id, TimeSpan.FromSeconds(10))).Status);
        }
    }

    private async Task<Job> StartLongJobAsync()
    {
        Job queued = await Client.SubmitAsync(TestJobs.LongRunning());
        return await Client.WaitForStatusAsync(queued.Id, JobStatus.Running);
    }

    /// <summary>One worker, so the long job holds it; one place in the queue; Retry-After 7 s.</summary>
    public sealed class OneWorker : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:MaxQueued"] = "1",
            ["Jobs:RetryAfterSeconds"] = "7",
        };
    }
}
