using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary><c>ListAsync</c> follows the cursors over every page: each job once, newest first, the status filter applied.</summary>
public sealed class ListTests(ListTests.FinishedJobs service) : ClientTests(service), IClassFixture<ListTests.FinishedJobs>
{
    [Fact]
    public async Task Every_job_once_newest_first_over_several_pages()
    {
        List<string> seen = [];
        await foreach (Job job in Client.ListAsync(pageSize: 3))
        {
            seen.Add(job.Id);
        }

        Assert.Equal(service.NewestFirst, seen);
        Assert.Equal(3, Sent.Count);
        Assert.Equal("/api/jobs?limit=3", Sent[0]);
        Assert.All(Sent.Skip(1), path => Assert.StartsWith("/api/jobs?limit=3&cursor=", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_filter_lists_only_that_status()
    {
        List<Job> failed = [];
        await foreach (Job job in Client.ListAsync(JobStatus.Failed, pageSize: 2))
        {
            failed.Add(job);
        }

        Assert.Equal(service.Failed.AsEnumerable().Reverse(), failed.Select(j => j.Id));
        Assert.All(failed, job => Assert.Equal(JobStatus.Failed, job.Status));
        Assert.Equal("/api/jobs?status=failed&limit=2", Sent[0]);
        Assert.Equal(2, Sent.Count);
    }

    [Fact]
    public async Task Default_page_size_is_the_services()
    {
        JobList page = await Client.ListPageAsync(JobStatus.Succeeded);

        Assert.Equal(service.Succeeded.AsEnumerable().Reverse(), page.Items.Select(j => j.Id));
        Assert.Null(page.Next);
        Assert.Equal("/api/jobs?status=succeeded", Sent[0]);
    }

    [Fact]
    public async Task Enumeration_stops_when_canceled()
    {
        using var stop = new CancellationTokenSource();
        int read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Job job in Client.ListAsync(pageSize: 2).WithCancellation(stop.Token))
            {
                read++;
                await stop.CancelAsync();
            }
        });

        Assert.Equal(2, read);
        Assert.Single(Sent);
    }

    [Fact]
    public async Task Bad_page_size_is_a_400_naming_limit()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(async () =>
        {
            await foreach (Job job in Client.ListAsync(pageSize: 101))
            {
                Assert.Fail($"listed {job.Id}");
            }
        });

        Assert.Equal(["limit"], error.Errors.Keys);
    }

    /// <summary>Three failed jobs (the oldest), then five succeeded ones, all finished before any test reads.</summary>
    public sealed class FinishedJobs : ServiceFixture, IAsyncLifetime
    {
        public List<string> Failed { get; } = [];

        public List<string> Succeeded { get; } = [];

        public IReadOnlyList<string> NewestFirst => [.. Succeeded.AsEnumerable().Reverse(), .. Failed.AsEnumerable().Reverse()];

        public async Task InitializeAsync()
        {
            using var linReg = new TestClient(Factory);
            for (int i = 0; i < 3; i++)
            {
                Failed.Add((await linReg.Client.SubmitAsync(TestJobs.Diverging())).Id);
            }
            for (int i = 0; i < 5; i++)
            {
                Succeeded.Add((await linReg.Client.SubmitAsync(new JobRequest { SampleCount = 0 })).Id);
            }
            foreach (string id in Failed.Concat(Succeeded))
            {
                Job job = await linReg.Client.WaitAsync(id, TimeSpan.FromSeconds(30));
                Assert.Equal(Failed.Contains(id) ? JobStatus.Failed : JobStatus.Succeeded, job.Status);
            }
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
