using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Storage;

/// <summary>
/// The SQLite store with finished jobs kept in memory: every contract check of the plain store
/// (inherited), plus proof that finished jobs come from memory and leave it when deleted or purged.
/// </summary>
public sealed class FinishedJobsInMemoryTests(TempDirectory directory) : SqliteJobStoreTests(directory)
{
    private static readonly CancellationToken _none = CancellationToken.None;

    protected override IJobStore Open(string connectionString) => new SqlJobStore(new SqliteDialect(connectionString), finishedInMemory: 100);

    [Fact]
    public async Task A_finished_job_is_read_once_then_served_from_memory_until_deleted()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord finished = await FinishedJobAsync(store);

        JobRecord? first = await store.GetAsync(finished.Id, _none);
        JobRecord? second = await store.GetAsync(finished.Id, _none);
        Assert.NotNull(first);
        Assert.Same(first, second);

        Assert.Equal(TransitionOutcome.Done, await store.DeleteAsync(finished.Id, _none));
        Assert.Null(await store.GetAsync(finished.Id, _none));
    }

    [Fact]
    public async Task A_job_still_running_is_read_from_the_file_every_time()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await store.AddAsync(NewJob(), _none);
        await store.ClaimNextAsync(T0, TestLease, _none);

        JobRecord? first = await store.GetAsync(job.Id, _none);
        await store.AppendLossesAsync(job.Id, 1, [0.5], _none);
        JobRecord? second = await store.GetAsync(job.Id, _none);

        Assert.NotSame(first, second);
        Assert.Equal([0.5], second!.EpochLosses);
    }

    [Fact]
    public async Task A_purge_empties_the_memory()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord finished = await FinishedJobAsync(store);
        Assert.NotNull(await store.GetAsync(finished.Id, _none));

        Assert.Equal(1, await store.PurgeFinishedBeforeAsync(T0.AddDays(1), _none));

        Assert.Null(await store.GetAsync(finished.Id, _none));
    }

    private static async Task<JobRecord> FinishedJobAsync(IJobStore store)
    {
        JobRecord job = await store.AddAsync(NewJob(), _none);
        await store.ClaimNextAsync(T0, TestLease, _none);
        Assert.True(await store.FinishAsync(job.Id, JobStatus.Canceled, null, null, T0.AddSeconds(1), _none));
        return job;
    }
}
