using System.Data.Common;
using LinRegService.Storage;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Storage;

/// <summary>
/// The store contract on PostgreSQL (<c>LINREG_TEST_POSTGRES</c>; skipped without it): a fresh
/// database per class, a fresh schema per check.
/// </summary>
public sealed class PostgresJobStoreTests(PostgresDatabase database) : JobStoreContractTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> NewLocationAsync() => database.CreateSchemaAsync();

    protected override IJobStore Open(string connectionString) => new SqlJobStore(new PostgresDialect(connectionString));

    [PostgresFact]
    public async Task Stores_initializing_at_once_on_a_fresh_database_all_succeed()
    {
        string fresh = await database.CreateDatabaseAsync();
        IJobStore[] stores = Enumerable.Range(0, 8).Select(_ => Track(Open(fresh))).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));

        JobRecord job = await stores[0].AddAsync(NewJob(), CancellationToken.None);
        foreach (IJobStore store in stores)
        {
            Assert.True(await store.PingAsync(CancellationToken.None));
            Assert.Equal(job.Id, (await store.GetAsync(job.Id, CancellationToken.None))?.Id);
        }
    }

    [PostgresFact]
    public async Task Statements_used_again_are_prepared_on_their_connection()
    {
        await using var dialect = new PostgresDialect(await NewLocationAsync());
        await using DbConnection connection = await dialect.OpenAsync(CancellationToken.None);
        const string Prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1'";

        for (int i = 0; i < 6; i++)
        {
            await StoreRows.ScalarAsync(connection, "SELECT @x::int + 1", CancellationToken.None, ("x", i));
        }

        Assert.Equal(1L, await StoreRows.ScalarAsync(connection, Prepared, CancellationToken.None));
    }

    [PostgresFact]
    public Task Lapsed_lease_is_claimed_again_by_another_owner() => LapsedLeaseIsClaimedAgainByAnotherOwnerAsync();

    [PostgresFact]
    public Task Claims_tell_where_they_took_the_job_from() => ClaimsTellWhereTheyTookTheJobFromAsync();

    [PostgresFact]
    public Task Lapsed_lease_out_of_attempts_fails_and_lapsed_canceling_is_canceled() => LapsedLeaseOutOfAttemptsFailsAndLapsedCancelingIsCanceledAsync();

    [PostgresFact]
    public Task Renew_tells_the_status_and_nothing_once_finished() => RenewTellsTheStatusAndNothingOnceFinishedAsync();

    [PostgresFact]
    public Task Add_then_get_round_trips_every_field() => AddThenGetRoundTripsEveryFieldAsync();

    [PostgresFact]
    public Task Same_idempotency_key_returns_the_first_job() => SameIdempotencyKeyReturnsTheFirstJobAsync();

    [PostgresFact]
    public Task Concurrent_adds_never_pass_the_queue_limit() => ConcurrentAddsNeverPassTheQueueLimitAsync();

    [PostgresFact]
    public Task Lists_and_progress_reads_leave_the_samples_out() => ListsAndProgressReadsLeaveTheSamplesOutAsync();

    [PostgresFact]
    public Task Claim_takes_the_oldest_job_only_when_it_fits_the_memory_room() => ClaimTakesTheOldestJobOnlyWhenItFitsTheMemoryRoomAsync();

    [PostgresFact]
    public Task List_is_newest_first_filtered_before_the_limit_and_pages_every_job_once() => ListIsNewestFirstFilteredBeforeTheLimitAndPagesEveryJobOnceAsync();

    [PostgresFact]
    public Task Claim_takes_the_oldest_queued_job() => ClaimTakesTheOldestQueuedJobAsync();

    [PostgresFact]
    public Task Concurrent_claimers_never_claim_one_job_twice() => ConcurrentClaimersNeverClaimOneJobTwiceAsync();

    [PostgresFact]
    public Task Appended_losses_read_back_in_epoch_order() => AppendedLossesReadBackInEpochOrderAsync();

    [PostgresFact]
    public Task Claim_resets_the_losses_of_a_requeued_job() => ClaimResetsTheLossesOfARequeuedJobAsync();

    [PostgresFact]
    public Task Claim_answers_the_job_without_its_samples() => ClaimAnswersTheJobWithoutItsSamplesAsync();

    [PostgresFact]
    public Task Finish_writes_the_last_losses_with_the_status_or_neither() => FinishWritesTheLastLossesWithTheStatusOrNeitherAsync();

    [PostgresFact]
    public Task Finish_under_a_lost_lease_writes_nothing() => FinishUnderALostLeaseWritesNothingAsync();

    [PostgresFact]
    public Task Finish_cut_short_leaves_no_result_without_its_losses() => FinishCutShortLeavesNoResultWithoutItsLossesAsync();

    [PostgresFact]
    public Task Finish_only_ends_running_or_canceling_jobs() => FinishOnlyEndsRunningOrCancelingJobsAsync();

    [PostgresFact]
    public Task Cancel_moves_each_status_as_the_contract_says() => CancelMovesEachStatusAsTheContractSaysAsync();

    [PostgresFact]
    public Task Delete_removes_only_finished_jobs() => DeleteRemovesOnlyFinishedJobsAsync();

    [PostgresFact]
    public Task Recover_requeues_fails_or_cancels_what_a_crash_left() => RecoverRequeuesFailsOrCancelsWhatACrashLeftAsync();

    [PostgresFact]
    public Task Purge_removes_only_jobs_finished_before_the_cutoff() => PurgeRemovesOnlyJobsFinishedBeforeTheCutoffAsync();

    [PostgresFact]
    public Task Requeue_puts_a_running_job_back_and_ends_a_canceling_one() => RequeuePutsARunningJobBackAndEndsACancelingOneAsync();

    [PostgresFact]
    public Task Initializing_twice_keeps_the_jobs() => InitializingTwiceKeepsTheJobsAsync();
}
