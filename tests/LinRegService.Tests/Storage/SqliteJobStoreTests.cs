using System.Data;
using System.Data.Common;
using LinRegService.Storage;
using LinRegService.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LinRegService.Tests.Storage;

/// <summary>The store contract on SQLite: one file per check, in a temporary directory per class.</summary>
public class SqliteJobStoreTests(TempDirectory directory) : JobStoreContractTests, IClassFixture<TempDirectory>
{
    protected override Task<string> NewLocationAsync() => Task.FromResult(new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(directory.Path, Guid.NewGuid().ToString("N") + ".db"),
    }.ToString());

    protected override IJobStore Open(string connectionString) => new SqlJobStore(new SqliteDialect(connectionString));

    [Fact]
    public async Task A_connection_comes_back_open_with_its_statements_prepared()
    {
        await using var dialect = new SqliteDialect(await NewLocationAsync());
        DbConnection first = await dialect.OpenAsync(CancellationToken.None);
        DbCommand command = StoreRows.Command(first, "SELECT @x + 1;", ("x", 1));
        Assert.Equal(2L, await command.ExecuteScalarAsync());
        await command.DisposeAsync(); // what every caller does: the connection keeps it
        await first.DisposeAsync();

        DbConnection again = await dialect.OpenAsync(CancellationToken.None);
        Assert.Same(first, again);
        Assert.Equal(ConnectionState.Open, again.State);
        DbCommand same = StoreRows.Command(again, "SELECT @x + 1;", ("x", 41));
        Assert.Same(command, same);
        Assert.Equal(42L, await same.ExecuteScalarAsync());
        await using (DbTransaction transaction = await again.BeginTransactionAsync())
        {
            Assert.Same(transaction, StoreRows.Command(again, "SELECT @x + 1;", ("x", 1)).Transaction); // kept commands join the open transaction
        }
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Statements_run_once_make_room_by_pushing_out_the_least_recently_used()
    {
        await using var dialect = new SqliteDialect(await NewLocationAsync());
        await using DbConnection connection = await dialect.OpenAsync(CancellationToken.None);
        DbCommand hot = StoreRows.Command(connection, "SELECT 1;");
        DbCommand cold = StoreRows.Command(connection, "SELECT 2;");

        // Texts that vary (a multi-row insert's length, an IN list), far more than a connection keeps.
        for (int i = 0; i < 200; i++)
        {
            StoreRows.Command(connection, $"SELECT {i + 10};");
            Assert.Same(hot, StoreRows.Command(connection, "SELECT 1;")); // used all along: never pushed out
        }

        Assert.NotSame(cold, StoreRows.Command(connection, "SELECT 2;"));
    }

    [Fact]
    public async Task A_connection_handed_back_after_the_dialect_is_disposed_is_closed()
    {
        var dialect = new SqliteDialect(await NewLocationAsync());
        DbConnection connection = await dialect.OpenAsync(CancellationToken.None);
        await dialect.DisposeAsync();

        await connection.DisposeAsync();

        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public Task Lapsed_lease_is_claimed_again_by_another_owner() => LapsedLeaseIsClaimedAgainByAnotherOwnerAsync();

    [Fact]
    public Task Claims_tell_where_they_took_the_job_from() => ClaimsTellWhereTheyTookTheJobFromAsync();

    [Fact]
    public Task Lapsed_lease_out_of_attempts_fails_and_lapsed_canceling_is_canceled() => LapsedLeaseOutOfAttemptsFailsAndLapsedCancelingIsCanceledAsync();

    [Fact]
    public Task Renew_tells_the_status_and_nothing_once_finished() => RenewTellsTheStatusAndNothingOnceFinishedAsync();

    [Fact]
    public Task Add_then_get_round_trips_every_field() => AddThenGetRoundTripsEveryFieldAsync();

    [Fact]
    public Task Same_idempotency_key_returns_the_first_job() => SameIdempotencyKeyReturnsTheFirstJobAsync();

    [Fact]
    public Task Concurrent_adds_never_pass_the_queue_limit() => ConcurrentAddsNeverPassTheQueueLimitAsync();

    [Fact]
    public Task Lists_and_progress_reads_leave_the_samples_out() => ListsAndProgressReadsLeaveTheSamplesOutAsync();

    [Fact]
    public Task Claim_takes_the_oldest_job_only_when_it_fits_the_memory_room() => ClaimTakesTheOldestJobOnlyWhenItFitsTheMemoryRoomAsync();

    [Fact]
    public Task List_is_newest_first_filtered_before_the_limit_and_pages_every_job_once() => ListIsNewestFirstFilteredBeforeTheLimitAndPagesEveryJobOnceAsync();

    [Fact]
    public Task Claim_takes_the_oldest_queued_job() => ClaimTakesTheOldestQueuedJobAsync();

    [Fact]
    public Task Concurrent_claimers_never_claim_one_job_twice() => ConcurrentClaimersNeverClaimOneJobTwiceAsync();

    [Fact]
    public Task Appended_losses_read_back_in_epoch_order() => AppendedLossesReadBackInEpochOrderAsync();

    [Fact]
    public Task Claim_resets_the_losses_of_a_requeued_job() => ClaimResetsTheLossesOfARequeuedJobAsync();

    [Fact]
    public Task Claim_answers_the_job_without_its_samples() => ClaimAnswersTheJobWithoutItsSamplesAsync();

    [Fact]
    public Task Finish_writes_the_last_losses_with_the_status_or_neither() => FinishWritesTheLastLossesWithTheStatusOrNeitherAsync();

    [Fact]
    public Task Finish_under_a_lost_lease_writes_nothing() => FinishUnderALostLeaseWritesNothingAsync();

    [Fact]
    public Task Finish_cut_short_leaves_no_result_without_its_losses() => FinishCutShortLeavesNoResultWithoutItsLossesAsync();

    [Fact]
    public Task Finish_only_ends_running_or_canceling_jobs() => FinishOnlyEndsRunningOrCancelingJobsAsync();

    [Fact]
    public Task Cancel_moves_each_status_as_the_contract_says() => CancelMovesEachStatusAsTheContractSaysAsync();

    [Fact]
    public Task Delete_removes_only_finished_jobs() => DeleteRemovesOnlyFinishedJobsAsync();

    [Fact]
    public Task Recover_requeues_fails_or_cancels_what_a_crash_left() => RecoverRequeuesFailsOrCancelsWhatACrashLeftAsync();

    [Fact]
    public Task Purge_removes_only_jobs_finished_before_the_cutoff() => PurgeRemovesOnlyJobsFinishedBeforeTheCutoffAsync();

    [Fact]
    public Task Requeue_puts_a_running_job_back_and_ends_a_canceling_one() => RequeuePutsARunningJobBackAndEndsACancelingOneAsync();

    [Fact]
    public Task Initializing_twice_keeps_the_jobs() => InitializingTwiceKeepsTheJobsAsync();
}
