using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Sweeps;

/// <summary><c>ListSweepsAsync</c>, <c>CancelSweepAsync</c> and <c>DeleteSweepAsync</c>: pages newest first, cancel only what has not ended, delete only what has.</summary>
public sealed class SweepLifecycleTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Sweeps_are_listed_newest_first_over_pages_without_their_jobs()
    {
        Sweep older = await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.03));
        Sweep newer = await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.1));
        int before = Sent.Count;

        List<Sweep> listed = [];
        await foreach (Sweep sweep in Client.ListSweepsAsync(pageSize: 1))
        {
            listed.Add(sweep);
        }

        List<string> ids = [.. listed.Select(s => s.Id)];
        Assert.True(ids.IndexOf(newer.Id) >= 0 && ids.IndexOf(newer.Id) < ids.IndexOf(older.Id), string.Join(", ", ids));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(listed, sweep => Assert.Empty(sweep.Jobs));
        Assert.Equal(1, listed.Single(s => s.Id == older.Id).Progress.Total);
        IReadOnlyList<string> pages = [.. Sent.Skip(before)];
        Assert.Equal("/api/sweeps?limit=1", pages[0]);
        Assert.All(pages.Skip(1), path => Assert.StartsWith("/api/sweeps?limit=1&cursor=", path, StringComparison.Ordinal));
        Assert.Equal(ids.Count, pages.Count); // the last page, with one sweep, had no next cursor
    }

    [Fact]
    public async Task A_running_sweep_is_canceled_then_deleted_with_its_jobs()
    {
        Sweep running = await Client.SubmitSweepAsync(TestSweeps.LongRunning());

        var notYet = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.DeleteSweepAsync(running.Id));
        Assert.Equal(HttpStatusCode.Conflict, notYet.Status);
        Sweep canceling = await Client.CancelSweepAsync(running.Id);
        Assert.Equal(running.Id, canceling.Id);
        Sweep canceled = await Client.WaitSweepAsync(running.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(SweepStatus.Canceled, canceled.Status);
        Assert.All(canceled.Jobs, job => Assert.Equal(JobStatus.Canceled, job.Status));

        await Client.DeleteSweepAsync(running.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetSweepAsync(running.Id))).Status);
        foreach (SweepJob job in canceled.Jobs)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetAsync(job.JobId))).Status);
        }
    }

    [Fact]
    public async Task A_finished_sweep_cannot_be_canceled_a_409()
    {
        Sweep done = await Client.WaitSweepAsync((await Client.SubmitSweepAsync(TestSweeps.LearningRates(0.03))).Id, TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.CancelSweepAsync(done.Id));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal("The sweep cannot be canceled", error.Title);
        Assert.Equal(SweepStatus.Finished, (await Client.GetSweepAsync(done.Id)).Status);
        await Client.DeleteSweepAsync(done.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LinRegServiceException>(() => Client.DeleteSweepAsync(done.Id))).Status);
    }
}
