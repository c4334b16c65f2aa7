using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Storage;

/// <summary>
/// What every <see cref="IJobStore"/> must do, checked against each engine by a concrete class that
/// declares one thin fact per check (so an engine that is not available reports them skipped).
/// Every check gets its own empty store, so no check sees another's jobs.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    /// <summary>A fixed clock: whole milliseconds, as the stores keep them.</summary>
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    /// <summary>A lease far longer than any check, so no claim lapses unless a check moves the clock past it.</summary>
    protected static readonly Lease TestLease = new("owner-a", TimeSpan.FromMinutes(10), MaxAttempts: 3);

    private static readonly CancellationToken _none = CancellationToken.None;

    private readonly List<IJobStore> _stores = [];

    /// <summary>The connection string of a new, empty place for a store (no schema yet).</summary>
    protected abstract Task<string> NewLocationAsync();

    /// <summary>A store on <paramref name="connectionString"/>, not initialized.</summary>
    protected abstract IJobStore Open(string connectionString);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (IJobStore store in _stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>An open store on <paramref name="connectionString"/>, disposed after the test.</summary>
    protected IJobStore Track(IJobStore store)
    {
        _stores.Add(store);
        return store;
    }

    /// <summary>An initialized store in a new, empty place.</summary>
    protected async Task<IJobStore> NewStoreAsync()
    {
        IJobStore store = Track(Open(await NewLocationAsync()));
        await store.InitializeAsync(_none);
        return store;
    }

    protected static JobRecord NewJob(string? idempotencyKey = null, DateTimeOffset? createdAt = null) => new()
    {
        Id = "job-" + Guid.NewGuid().ToString("N"),
        Status = JobStatus.Queued,
        CreatedAt = createdAt ?? T0,
        Request = new JobRequest
        {
            Dataset = new DatasetRequest { Weights = [2f, -3.4f], Bias = 4.2f, Examples = 1000, NoiseStd = 0.01f, FeatureStd = 1f, Seed = 11 },
            Training = new TrainingRequest { LearningRate = 0.03f, BatchSize = 10, Epochs = 3, InitStd = 0.01f, Seed = 12 },
            SampleCount = 2,
        },
        IdempotencyKey = idempotencyKey,
        RequestHash = idempotencyKey is null ? null : "hash-" + idempotencyKey,
    };

    private static JobResult NewResult() => new()
    {
        Weights = [1.99f, -3.39f],
        Bias = 4.19f,
        WeightError = [0.01f, -0.01f],
        BiasError = 0.01f,
        ClosedForm = new ClosedFormResult([2f, -3.4f], 4.2f, 5e-5),
        Timings = new JobTimings(1.5, 20.25, 0.5),
    };

    /// <summary>Adds a job and claims it (the store must hold no other queued job).</summary>
    private static async Task<JobRecord> AddRunningAsync(IJobStore store, DateTimeOffset? now = null)
    {
        JobRecord job = await store.AddAsync(NewJob(), _none);
        JobRecord? claimed = await store.ClaimNextAsync(now ?? T0, TestLease, _none);
        Assert.Equal(job.Id, claimed?.Id);
        return claimed!;
    }

    private static async Task<JobRecord> GetAsync(IJobStore store, string id) =>
        await store.GetAsync(id, _none) ?? throw new Xunit.Sdk.XunitException($"job {id} is gone");

    protected async Task LapsedLeaseIsClaimedAgainByAnotherOwnerAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord first = await AddRunningAsync(store);
        Assert.Null(await store.ClaimNextAsync(T0.AddMinutes(9), TestLease with { Owner = "owner-b" }, _none));

        JobRecord? again = await store.ClaimNextAsync(T0.AddMinutes(11), TestLease with { Owner = "owner-b" }, _none);

        Assert.Equal(first.Id, again?.Id);
        Assert.Equal(2, again!.Attempts);
        Assert.Null(await store.RenewLeaseAsync(first.Id, "owner-a", T0.AddMinutes(12), _none));
        Assert.Equal(JobStatus.Running, await store.RenewLeaseAsync(first.Id, "owner-b", T0.AddMinutes(12), _none));
    }

    /// <summary>What the telemetry's claim counters read: a first start, a requeued job taken again (not a reclaim), a lapsed one (a reclaim), the lapsed ones a claim ends.</summary>
    protected async Task ClaimsTellWhereTheyTookTheJobFromAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await store.AddAsync(NewJob() with { OwnerRole = "user" }, _none);
        ClaimResult first = await store.ClaimAsync(T0, TestLease, _none);
        Assert.Equal(job.Id, first.Job?.Id);
        Assert.True(first.FirstClaim);
        Assert.False(first.Reclaimed);
        Assert.Equal("user", first.Job!.OwnerRole);

        Assert.Equal(JobStatus.Queued, await store.RequeueAsync(job.Id, T0, _none)); // a replica stopping hands it back
        ClaimResult requeued = await store.ClaimAsync(T0, TestLease, _none);
        Assert.Equal(job.Id, requeued.Job?.Id);
        Assert.False(requeued.FirstClaim);
        Assert.False(requeued.Reclaimed);

        ClaimResult lapsed = await store.ClaimAsync(T0.AddMinutes(11), TestLease with { Owner = "owner-b" }, _none);
        Assert.Equal(job.Id, lapsed.Job?.Id);
        Assert.False(lapsed.FirstClaim);
        Assert.True(lapsed.Reclaimed);

        // Out of attempts once its lease lapses again: the next claim ends it and says so.
        ClaimResult settling = await store.ClaimAsync(T0.AddMinutes(30), TestLease with { Owner = "owner-c", MaxAttempts = 2 }, _none);
        Assert.Null(settling.Job);
        Assert.Equal([new SettledJob(JobStatus.Failed, "user")], settling.Settled);
        Assert.Null(await store.RequeueAsync(job.Id, T0, _none)); // not running: nothing written
    }

    protected async Task LapsedLeaseOutOfAttemptsFailsAndLapsedCancelingIsCanceledAsync()
    {
        IJobStore store = await NewStoreAsync();
        var lease = TestLease with { MaxAttempts = 1 };
        JobRecord exhausted = await store.AddAsync(NewJob(), _none);
        Assert.Equal(exhausted.Id, (await store.ClaimNextAsync(T0, lease, _none))?.Id);
        JobRecord canceling = await store.AddAsync(NewJob(), _none);
        Assert.Equal(canceling.Id, (await store.ClaimNextAsync(T0, lease, _none))?.Id);
        await store.CancelAsync(canceling.Id, T0, _none);

        Assert.Null(await store.ClaimNextAsync(T0.AddMinutes(11), lease with { Owner = "owner-b" }, _none));

        JobRecord failed = await GetAsync(store, exhausted.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("interrupted 1 times", failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Canceled, (await GetAsync(store, canceling.Id)).Status);
    }

    protected async Task RenewTellsTheStatusAndNothingOnceFinishedAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord running = await AddRunningAsync(store);
        Assert.Equal(JobStatus.Running, await store.RenewLeaseAsync(running.Id, "owner-a", T0.AddMinutes(20), _none));
        Assert.Null(await store.RenewLeaseAsync(running.Id, "someone-else", T0.AddMinutes(20), _none));

        await store.CancelAsync(running.Id, T0, _none);
        Assert.Equal(JobStatus.Canceling, await store.RenewLeaseAsync(running.Id, "owner-a", T0.AddMinutes(20), _none));

        Assert.True(await store.FinishAsync(running.Id, JobStatus.Canceled, null, null, T0, _none));
        Assert.Null(await store.RenewLeaseAsync(running.Id, "owner-a", T0.AddMinutes(20), _none));
    }

    protected async Task AddThenGetRoundTripsEveryFieldAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = NewJob("key-1") with
        {
            CreatedAt = T0.AddMilliseconds(123),
            WarmStart = new WarmStart([0.5f, -1.25f], 0.75f),
            Samples = new JobSamples([[0.1f, 0.2f], [0.3f, -0.4f]], [1.5f, 2.5f]),
        };

        JobRecord added = await store.AddAsync(job, _none);
        JobRecord read = await GetAsync(store, job.Id);

        Assert.True(added.Sequence > 0);
        Assert.Equal(added.Sequence, read.Sequence);
        Assert.Equal(job.Id, read.Id);
        Assert.Equal(JobStatus.Queued, read.Status);
        Assert.Equal(job.CreatedAt, read.CreatedAt);
        Assert.Null(read.StartedAt);
        Assert.Null(read.FinishedAt);
        Assert.Equal(job.Request, read.Request, RequestComparer.Instance);
        Assert.Equal([0.5f, -1.25f], read.WarmStart!.Weights);
        Assert.Equal(0.75f, read.WarmStart.Bias);
        Assert.Equal(2, read.Samples!.Features.Count);
        Assert.Equal([0.3f, -0.4f], read.Samples.Features[1]);
        Assert.Equal([1.5f, 2.5f], read.Samples.Labels);
        Assert.Empty(read.EpochLosses);
        Assert.Null(read.Result);
        Assert.Null(read.ErrorMessage);
        Assert.Equal(0, read.Attempts);
        Assert.Equal("key-1", read.IdempotencyKey);
        Assert.Equal("hash-key-1", read.RequestHash);
        Assert.Equal(job.Id, (await store.FindByIdempotencyKeyAsync("key-1", _none))?.Id);
        Assert.Null(await store.GetAsync("job-unknown", _none));
        Assert.Null(await store.FindByIdempotencyKeyAsync("key-unknown", _none));

        JobRecord plain = await store.AddAsync(NewJob(), _none);
        JobRecord plainRead = await GetAsync(store, plain.Id);
        Assert.True(plain.Sequence > added.Sequence);
        Assert.Null(plainRead.WarmStart);
        Assert.Null(plainRead.Samples);
        Assert.Null(plainRead.IdempotencyKey);
        Assert.Null(plainRead.RequestHash);
    }

    protected async Task SameIdempotencyKeyReturnsTheFirstJobAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord first = await store.AddAsync(NewJob("same-key"), _none);

        JobRecord second = await store.AddAsync(NewJob("same-key"), _none);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Sequence, second.Sequence);
        Assert.Equal("hash-same-key", second.RequestHash);
        Assert.Equal(1, (await store.CountAsync(_none)).Queued);
        Assert.Equal(first.Id, (await store.FindByIdempotencyKeyAsync("same-key", _none))?.Id);
    }

    /// <summary>50 submissions at once through two stores on one database (two replicas) against a limit of 5.</summary>
    protected async Task ConcurrentAddsNeverPassTheQueueLimitAsync()
    {
        string location = await NewLocationAsync();
        IJobStore[] stores = [Track(Open(location)), Track(Open(location))];
        await stores[0].InitializeAsync(_none);
        await stores[1].InitializeAsync(_none);
        JobRecord keyed = (await stores[0].AddAsync(NewJob("early-key"), maxQueued: 5, _none))!;

        JobRecord?[] added = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => stores[i % 2].AddAsync(NewJob(), maxQueued: 5, _none))));

        Assert.Equal(4, added.Count(job => job is not null));
        Assert.Equal(5, (await stores[0].CountAsync(_none)).Queued);
        Assert.Equal(keyed.Id, (await stores[1].AddAsync(NewJob("early-key"), maxQueued: 5, _none))?.Id); // a replay, full or not
        Assert.Null(await stores[1].AddAsync(NewJob("late-key"), maxQueued: 5, _none));
        Assert.Null(await stores[0].FindByIdempotencyKeyAsync("late-key", _none));

        await stores[0].CancelAsync(keyed.Id, T0, _none);
        Assert.NotNull(await stores[1].AddAsync(NewJob("late-key"), maxQueued: 5, _none));
    }

    protected async Task ListsAndProgressReadsLeaveTheSamplesOutAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await store.AddAsync(NewJob() with { Samples = new JobSamples([[0.1f, 0.2f]], [1.5f]) }, _none);
        await store.AppendLossesAsync(job.Id, 1, [5.0, 4.0, 3.0], _none);

        JobRecord listed = Assert.Single((await store.ListAsync(null, 10, null, _none)).Items);
        JobRecord summary = (await store.GetWithoutSamplesAsync(job.Id, _none))!;
        JobProgressSnapshot? progress = await store.GetProgressAsync(job.Id, 1, _none);
        JobProgressSnapshot? none = await store.GetProgressAsync(job.Id, 3, _none);

        Assert.Null(listed.Samples);
        Assert.Null(summary.Samples);
        Assert.Equal([5.0, 4.0, 3.0], summary.EpochLosses);
        Assert.Equal(job.Request, summary.Request, RequestComparer.Instance);
        Assert.Equal(new JobProgressSnapshot(JobStatus.Queued, 0, 3, [4.0, 3.0]), progress, _progressComparer);
        Assert.Equal(new JobProgressSnapshot(JobStatus.Queued, 0, 3, []), none, _progressComparer);
        Assert.NotNull((await GetAsync(store, job.Id)).Samples);
        Assert.Null(await store.GetProgressAsync("job-unknown", 0, _none));
        Assert.Null(await store.GetWithoutSamplesAsync("job-unknown", _none));
    }

    private static readonly IEqualityComparer<JobProgressSnapshot?> _progressComparer = EqualityComparer<JobProgressSnapshot?>.Create(
        (a, b) => a is not null && b is not null && (a.Status, a.Attempts, a.LossCount) == (b.Status, b.Attempts, b.LossCount) && a.NewLosses.SequenceEqual(b.NewLosses));

    protected async Task ClaimTakesTheOldestJobOnlyWhenItFitsTheMemoryRoomAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord large = await store.AddAsync(NewJob() with { PeakBytes = 1000 }, _none);
        JobRecord small = await store.AddAsync(NewJob() with { PeakBytes = 10 }, _none);

        Assert.Null(await store.ClaimNextAsync(T0, TestLease with { MemoryRoom = 999 }, _none)); // the small one does not overtake it
        JobRecord? claimed = await store.ClaimNextAsync(T0, TestLease with { MemoryRoom = 1000 }, _none);

        Assert.Equal(large.Id, claimed?.Id);
        Assert.Equal(1000, claimed!.PeakBytes);
        Assert.Equal(10, (await GetAsync(store, small.Id)).PeakBytes);
        Assert.Equal(small.Id, (await store.ClaimNextAsync(T0, TestLease with { MemoryRoom = 10 }, _none))?.Id);
    }

    protected async Task ListIsNewestFirstFilteredBeforeTheLimitAndPagesEveryJobOnceAsync()
    {
        IJobStore store = await NewStoreAsync();
        var added = new List<JobRecord>();
        for (int i = 0; i < 7; i++)
        {
            added.Add(await store.AddAsync(NewJob(), _none));
        }
        // The oldest three are canceled; the newest are queued, so a filter after the limit would find none.
        foreach (JobRecord job in added.Take(3))
        {
            Assert.Equal(TransitionOutcome.Done, (await store.CancelAsync(job.Id, T0, _none)).Outcome);
        }

        var seen = new List<JobRecord>();
        long? before = null;
        int pages = 0;
        do
        {
            JobPage page = await store.ListAsync(null, 3, before, _none);
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items);
            before = page.NextBefore;
            pages++;
        }
        while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(added.Select(j => j.Id).Reverse(), seen.Select(j => j.Id));

        JobPage canceled = await store.ListAsync(JobStatus.Canceled, 2, null, _none);
        Assert.Equal([added[2].Id, added[1].Id], canceled.Items.Select(j => j.Id));
        Assert.All(canceled.Items, j => Assert.Equal(JobStatus.Canceled, j.Status));
        Assert.NotNull(canceled.NextBefore);
        JobPage rest = await store.ListAsync(JobStatus.Canceled, 2, canceled.NextBefore, _none);
        Assert.Equal([added[0].Id], rest.Items.Select(j => j.Id));
        Assert.Null(rest.NextBefore);

        JobPage exact = await store.ListAsync(JobStatus.Queued, 4, null, _none);
        Assert.Equal(4, exact.Items.Count);
        Assert.Null(exact.NextBefore);
        Assert.Empty((await store.ListAsync(JobStatus.Running, 10, null, _none)).Items);
    }

    protected async Task ClaimTakesTheOldestQueuedJobAsync()
    {
        IJobStore store = await NewStoreAsync();
        Assert.Null(await store.ClaimNextAsync(T0, TestLease, _none));
        JobRecord first = await store.AddAsync(NewJob(), _none);
        JobRecord second = await store.AddAsync(NewJob(), _none);
        Assert.Equal(2, (await store.CountAsync(_none)).Queued);

        JobRecord? claimed = await store.ClaimNextAsync(T0.AddSeconds(1), TestLease, _none);

        Assert.NotNull(claimed);
        Assert.Equal(first.Id, claimed.Id);
        Assert.Equal(JobStatus.Running, claimed.Status);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal(T0.AddSeconds(1), claimed.StartedAt);
        JobRecord stored = await GetAsync(store, first.Id);
        Assert.Equal(JobStatus.Running, stored.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(T0.AddSeconds(1), stored.StartedAt);
        Assert.Equal(1, (await store.CountAsync(_none)).Queued);

        Assert.Equal(second.Id, (await store.ClaimNextAsync(T0.AddSeconds(2), TestLease, _none))?.Id);
        Assert.Null(await store.ClaimNextAsync(T0.AddSeconds(3), TestLease, _none));
        Assert.Equal(0, (await store.CountAsync(_none)).Queued);
    }

    protected async Task ConcurrentClaimersNeverClaimOneJobTwiceAsync()
    {
        IJobStore store = await NewStoreAsync();
        var ids = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            ids.Add((await store.AddAsync(NewJob(), _none)).Id);
        }

        Task<List<string>>[] claimers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await store.ClaimNextAsync(T0, TestLease, _none) is { } job)
            {
                mine.Add(job.Id);
            }
            return mine;
        })).ToArray();
        List<string>[] claimed = await Task.WhenAll(claimers);

        List<string> all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(20, all.Count);
        Assert.True(ids.SetEquals(all), "some jobs were claimed twice or not at all");
        Assert.Equal(0, (await store.CountAsync(_none)).Queued);
    }

    protected async Task AppendedLossesReadBackInEpochOrderAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await AddRunningAsync(store);

        await store.AppendLossesAsync(job.Id, 1, [3.0, 2.0], _none);
        await store.AppendLossesAsync(job.Id, 3, [1.0], _none);
        await store.AppendLossesAsync(job.Id, 4, [], _none);
        Assert.Equal([3.0, 2.0, 1.0], (await GetAsync(store, job.Id)).EpochLosses);

        await store.AppendLossesAsync(job.Id, 2, [2.5, 0.125], _none);
        Assert.Equal([3.0, 2.5, 0.125], (await GetAsync(store, job.Id)).EpochLosses);
        Assert.Equal([3.0, 2.5, 0.125], (await store.ListAsync(null, 1, null, _none)).Items[0].EpochLosses);
    }

    protected async Task ClaimResetsTheLossesOfARequeuedJobAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await AddRunningAsync(store);
        await store.AppendLossesAsync(job.Id, 1, [3.0, 2.0], _none);
        await store.RequeueAsync(job.Id, T0, _none);

        JobRecord? again = await store.ClaimNextAsync(T0.AddSeconds(5), TestLease, _none);

        Assert.Equal(job.Id, again?.Id);
        Assert.Empty(again!.EpochLosses);
        Assert.Equal(1, again.Attempts);
        Assert.Empty((await GetAsync(store, job.Id)).EpochLosses);
    }

    protected async Task FinishWritesTheLastLossesWithTheStatusOrNeitherAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await AddRunningAsync(store);
        await store.AppendLossesAsync(job.Id, 1, [3.0, 2.0], _none);

        Assert.True(await store.FinishAsync(job.Id, JobStatus.Succeeded, NewResult(), null, T0, 3, [1.0, 0.5], TestLease.Owner, _none));
        JobRecord succeeded = await GetAsync(store, job.Id);
        Assert.Equal(JobStatus.Succeeded, succeeded.Status);
        Assert.Equal([3.0, 2.0, 1.0, 0.5], succeeded.EpochLosses);

        // Not running any more (here: finished; on a replica: reclaimed by another): neither is written.
        Assert.False(await store.FinishAsync(job.Id, JobStatus.Failed, null, "late", T0, 1, [9.0], TestLease.Owner, _none));
        Assert.Equal([3.0, 2.0, 1.0, 0.5], (await GetAsync(store, job.Id)).EpochLosses);
        Assert.Equal(JobStatus.Succeeded, (await GetAsync(store, job.Id)).Status);
    }

    /// <summary>An attempt whose lease lapsed and was reclaimed by another owner can neither end the job nor write its epochs.</summary>
    protected async Task FinishUnderALostLeaseWritesNothingAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await AddRunningAsync(store);
        DateTimeOffset lapsed = T0 + TestLease.Duration + TimeSpan.FromSeconds(1);
        Assert.Equal(job.Id, (await store.ClaimNextAsync(lapsed, TestLease with { Owner = "owner-b" }, _none))?.Id);
        await store.AppendLossesAsync(job.Id, 1, [4.0], _none);

        Assert.False(await store.FinishAsync(job.Id, JobStatus.Succeeded, NewResult(), null, lapsed, 1, [9.0], TestLease.Owner, _none));
        JobRecord after = await GetAsync(store, job.Id);
        Assert.Equal(JobStatus.Running, after.Status);
        Assert.Equal([4.0], after.EpochLosses);

        Assert.True(await store.FinishAsync(job.Id, JobStatus.Succeeded, NewResult(), null, lapsed, 2, [3.0], "owner-b", _none));
        Assert.Equal([4.0, 3.0], (await GetAsync(store, job.Id)).EpochLosses);
    }

    /// <summary>A finish that dies after its status is written but before its losses (here: they throw) leaves the job as it was.</summary>
    protected async Task FinishCutShortLeavesNoResultWithoutItsLossesAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await AddRunningAsync(store);
        await store.AppendLossesAsync(job.Id, 1, [3.0], _none);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.FinishAsync(job.Id, JobStatus.Succeeded, NewResult(), null, T0, 2, new UnreadableLosses(), null, _none));

        JobRecord after = await GetAsync(store, job.Id);
        Assert.Equal(JobStatus.Running, after.Status);
        Assert.Null(after.Result);
        Assert.Equal([3.0], after.EpochLosses);
        Assert.True(await store.FinishAsync(job.Id, JobStatus.Succeeded, NewResult(), null, T0, 2, [2.0], null, _none)); // the store works on
    }

    /// <summary>Losses that fail when read: the store's write of them fails part-way.</summary>
    private sealed class UnreadableLosses : IReadOnlyList<double>
    {
        public int Count => 1;

        public double this[int index] => throw new InvalidOperationException("the process died here");

        public IEnumerator<double> GetEnumerator() => throw new InvalidOperationException("the process died here");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    protected async Task ClaimAnswersTheJobWithoutItsSamplesAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord job = await store.AddAsync(NewJob() with { Samples = new JobSamples([[0.1f, 0.2f]], [1.5f]) }, _none);

        JobRecord claimed = (await store.ClaimNextAsync(T0, TestLease, _none))!;

        Assert.Equal(job.Id, claimed.Id);
        Assert.Null(claimed.Samples); // the worker regenerates its rows; the samples are for readers
        Assert.Equal(job.Request, claimed.Request, RequestComparer.Instance);
        Assert.Equal((JobStatus.Running, 1, T0), (claimed.Status, claimed.Attempts, claimed.StartedAt));
        Assert.NotNull((await GetAsync(store, job.Id)).Samples);
    }

    protected async Task FinishOnlyEndsRunningOrCancelingJobsAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord queued = await store.AddAsync(NewJob(), _none);
        Assert.False(await store.FinishAsync(queued.Id, JobStatus.Succeeded, NewResult(), null, T0, _none));
        Assert.Equal(JobStatus.Queued, (await GetAsync(store, queued.Id)).Status);
        Assert.False(await store.FinishAsync("job-unknown", JobStatus.Failed, null, "x", T0, _none));

        JobRecord running = (await store.ClaimNextAsync(T0, TestLease, _none))!;
        Assert.True(await store.FinishAsync(running.Id, JobStatus.Succeeded, NewResult(), null, T0.AddSeconds(9), _none));
        JobRecord succeeded = await GetAsync(store, running.Id);
        Assert.Equal(JobStatus.Succeeded, succeeded.Status);
        Assert.Equal(T0.AddSeconds(9), succeeded.FinishedAt);
        Assert.Equal([1.99f, -3.39f], succeeded.Result!.Weights);
        Assert.Equal(4.19f, succeeded.Result.Bias);
        Assert.Equal(5e-5, succeeded.Result.ClosedForm!.Loss);
        Assert.Equal(new JobTimings(1.5, 20.25, 0.5), succeeded.Result.Timings);
        Assert.False(await store.FinishAsync(running.Id, JobStatus.Failed, null, "again", T0, _none));
        Assert.Equal(JobStatus.Succeeded, (await GetAsync(store, running.Id)).Status);

        JobRecord canceling = await AddRunningAsync(store);
        await store.CancelAsync(canceling.Id, T0, _none);
        Assert.True(await store.FinishAsync(canceling.Id, JobStatus.Failed, null, "diverged", T0, _none));
        JobRecord failed = await GetAsync(store, canceling.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("diverged", failed.ErrorMessage);
        Assert.Null(failed.Result);
    }

    protected async Task CancelMovesEachStatusAsTheContractSaysAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord running = await AddRunningAsync(store);
        JobRecord queued = await store.AddAsync(NewJob(), _none);

        Assert.Equal((TransitionOutcome.Done, JobStatus.Canceled), await store.CancelAsync(queued.Id, T0.AddSeconds(1), _none));
        JobRecord canceled = await GetAsync(store, queued.Id);
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Equal(T0.AddSeconds(1), canceled.FinishedAt);

        Assert.Equal((TransitionOutcome.Done, JobStatus.Canceling), await store.CancelAsync(running.Id, T0.AddSeconds(2), _none));
        JobRecord canceling = await GetAsync(store, running.Id);
        Assert.Equal(JobStatus.Canceling, canceling.Status);
        Assert.Null(canceling.FinishedAt);
        Assert.Equal((TransitionOutcome.Done, JobStatus.Canceling), await store.CancelAsync(running.Id, T0.AddSeconds(3), _none));

        Assert.Equal((TransitionOutcome.Conflict, JobStatus.Canceled), await store.CancelAsync(queued.Id, T0.AddSeconds(4), _none));
        Assert.Equal(T0.AddSeconds(1), (await GetAsync(store, queued.Id)).FinishedAt);
        await store.FinishAsync(running.Id, JobStatus.Succeeded, NewResult(), null, T0, _none);
        Assert.Equal((TransitionOutcome.Conflict, JobStatus.Succeeded), await store.CancelAsync(running.Id, T0, _none));

        Assert.Equal((TransitionOutcome.NotFound, null), await store.CancelAsync("job-unknown", T0, _none));
    }

    protected async Task DeleteRemovesOnlyFinishedJobsAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord finished = await AddRunningAsync(store);
        await store.AppendLossesAsync(finished.Id, 1, [1.0, 0.5], _none);
        await store.FinishAsync(finished.Id, JobStatus.Succeeded, NewResult(), null, T0, _none);
        JobRecord running = await AddRunningAsync(store);
        JobRecord queued = await store.AddAsync(NewJob(), _none);

        Assert.Equal(TransitionOutcome.Done, await store.DeleteAsync(finished.Id, _none));
        Assert.Null(await store.GetAsync(finished.Id, _none));
        // Its losses went with it: a new job under the same id starts with none.
        await store.AddAsync(NewJob() with { Id = finished.Id }, _none);
        Assert.Empty((await GetAsync(store, finished.Id)).EpochLosses);

        Assert.Equal(TransitionOutcome.Conflict, await store.DeleteAsync(queued.Id, _none));
        Assert.Equal(TransitionOutcome.Conflict, await store.DeleteAsync(running.Id, _none));
        Assert.Equal(JobStatus.Queued, (await GetAsync(store, queued.Id)).Status);
        Assert.Equal(JobStatus.Running, (await GetAsync(store, running.Id)).Status);
        Assert.Equal(TransitionOutcome.NotFound, await store.DeleteAsync("job-unknown", _none));
    }

    protected async Task RecoverRequeuesFailsOrCancelsWhatACrashLeftAsync()
    {
        IJobStore store = await NewStoreAsync();
        // Interrupted twice: claimed, recovered, claimed again.
        JobRecord twice = await AddRunningAsync(store);
        Assert.Equal(new RecoveryReport(1, 0, 0), await store.RecoverAsync(5, T0, _none));
        Assert.Equal(2, (await store.ClaimNextAsync(T0, TestLease, _none))?.Attempts);
        JobRecord once = await AddRunningAsync(store);
        JobRecord canceling = await AddRunningAsync(store);
        await store.CancelAsync(canceling.Id, T0, _none);
        JobRecord done = await AddRunningAsync(store);
        await store.FinishAsync(done.Id, JobStatus.Succeeded, NewResult(), null, T0, _none);
        JobRecord queued = await store.AddAsync(NewJob(), _none);

        RecoveryReport report = await store.RecoverAsync(2, T0.AddMinutes(1), _none);

        Assert.Equal(new RecoveryReport(Requeued: 1, Failed: 1, Canceled: 1), report);
        JobRecord requeued = await GetAsync(store, once.Id);
        Assert.Equal(JobStatus.Queued, requeued.Status);
        Assert.Equal(1, requeued.Attempts);
        Assert.Null(requeued.FinishedAt);
        JobRecord failed = await GetAsync(store, twice.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal(T0.AddMinutes(1), failed.FinishedAt);
        Assert.Equal(
            "The job was interrupted 2 times (the service stopped while it ran); it is not retried again.",
            failed.ErrorMessage);
        JobRecord canceled = await GetAsync(store, canceling.Id);
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Equal(T0.AddMinutes(1), canceled.FinishedAt);
        Assert.Equal(JobStatus.Queued, (await GetAsync(store, queued.Id)).Status);
        Assert.Equal(JobStatus.Succeeded, (await GetAsync(store, done.Id)).Status);
        Assert.Equal(new RecoveryReport(0, 0, 0), await store.RecoverAsync(2, T0, _none));
    }

    protected async Task PurgeRemovesOnlyJobsFinishedBeforeTheCutoffAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord oldSucceeded = await AddRunningAsync(store);
        await store.FinishAsync(oldSucceeded.Id, JobStatus.Succeeded, NewResult(), null, T0, _none);
        JobRecord newFailed = await AddRunningAsync(store);
        await store.FinishAsync(newFailed.Id, JobStatus.Failed, null, "boom", T0.AddHours(1), _none);
        JobRecord oldCanceled = await store.AddAsync(NewJob(), _none);
        await store.CancelAsync(oldCanceled.Id, T0, _none);
        JobRecord running = await AddRunningAsync(store, T0);
        JobRecord queued = await store.AddAsync(NewJob(createdAt: T0.AddDays(-1)), _none);

        int purged = await store.PurgeFinishedBeforeAsync(T0.AddMinutes(1), _none);

        Assert.Equal(2, purged);
        Assert.Null(await store.GetAsync(oldSucceeded.Id, _none));
        Assert.Null(await store.GetAsync(oldCanceled.Id, _none));
        Assert.NotNull(await store.GetAsync(newFailed.Id, _none));
        Assert.NotNull(await store.GetAsync(running.Id, _none));
        Assert.NotNull(await store.GetAsync(queued.Id, _none));
    }

    protected async Task RequeuePutsARunningJobBackAndEndsACancelingOneAsync()
    {
        IJobStore store = await NewStoreAsync();
        JobRecord running = await AddRunningAsync(store);
        await store.RequeueAsync(running.Id, T0.AddSeconds(1), _none);
        JobRecord requeued = await GetAsync(store, running.Id);
        Assert.Equal(JobStatus.Queued, requeued.Status);
        Assert.Equal(0, requeued.Attempts);
        Assert.Null(requeued.FinishedAt);

        JobRecord again = (await store.ClaimNextAsync(T0, TestLease, _none))!;
        Assert.Equal(1, again.Attempts);
        await store.CancelAsync(again.Id, T0, _none);
        await store.RequeueAsync(again.Id, T0.AddSeconds(2), _none);
        JobRecord canceled = await GetAsync(store, again.Id);
        Assert.Equal(JobStatus.Canceled, canceled.Status);
        Assert.Equal(1, canceled.Attempts);
        Assert.Equal(T0.AddSeconds(2), canceled.FinishedAt);

        // Anything else is left alone.
        await store.RequeueAsync(again.Id, T0.AddSeconds(3), _none);
        Assert.Equal(T0.AddSeconds(2), (await GetAsync(store, again.Id)).FinishedAt);
        JobRecord queued = await store.AddAsync(NewJob(), _none);
        await store.RequeueAsync(queued.Id, T0, _none);
        Assert.Equal(0, (await GetAsync(store, queued.Id)).Attempts);
    }

    protected async Task InitializingTwiceKeepsTheJobsAsync()
    {
        string location = await NewLocationAsync();
        IJobStore store = Track(Open(location));
        await store.InitializeAsync(_none);
        JobRecord job = await store.AddAsync(NewJob(), _none);

        await store.InitializeAsync(_none);
        IJobStore other = Track(Open(location));
        await other.InitializeAsync(_none);

        Assert.True(await store.PingAsync(_none));
        Assert.Equal(job.Id, (await other.GetAsync(job.Id, _none))?.Id);
        Assert.Equal(1, (await other.CountAsync(_none)).Queued);
    }
}
