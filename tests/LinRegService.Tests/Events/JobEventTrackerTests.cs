using LinRegService.Contracts;
using LinRegService.Events;
using LinRegService.Storage;

namespace LinRegService.Tests.Events;

/// <summary>Which events a re-read of a job produces, given what was sent before.</summary>
public sealed class JobEventTrackerTests
{
    [Fact]
    public void Status_first_then_new_epochs_then_final_status_and_done()
    {
        var tracker = new JobEventTracker();

        Assert.Equal(["status"], Names(tracker.Next(Record(JobStatus.Queued))));
        Assert.Equal(["status", "epoch"], Names(tracker.Next(Record(JobStatus.Running, attempts: 1, 0.5))));
        Assert.Empty(tracker.Next(Record(JobStatus.Running, attempts: 1, 0.5)));
        IReadOnlyList<PendingEvent> last = tracker.Next(Record(JobStatus.Succeeded, attempts: 1, 0.5, 0.25, 0.125));

        Assert.Equal(["epoch", "epoch", "status", "done"], Names(last));
        Assert.Equal(new EpochEvent(2, 0.25), last[0].Data);
        Assert.Equal("3", last[1].Id);
        Assert.Equal(new DoneEvent("j", JobStatus.Succeeded), last[3].Data);
        Assert.True(tracker.Done);
        Assert.Empty(tracker.Next(Record(JobStatus.Succeeded, attempts: 1, 0.5, 0.25, 0.125)));
    }

    [Fact]
    public void A_rerun_sends_status_and_counts_epochs_from_1_again()
    {
        var tracker = new JobEventTracker();
        tracker.Next(Record(JobStatus.Running, attempts: 1, 0.5, 0.25));

        IReadOnlyList<PendingEvent> rerun = tracker.Next(Record(JobStatus.Running, attempts: 2, 0.5));

        Assert.Equal(["status", "epoch"], Names(rerun));
        Assert.Equal(new EpochEvent(1, 0.5), rerun[1].Data);
    }

    [Fact]
    public void Last_event_id_skips_epochs_and_one_beyond_the_losses_starts_over()
    {
        Assert.Equal(["status", "epoch", "done"], Names(new JobEventTracker(2).Next(Record(JobStatus.Failed, attempts: 1, 1, 2, 3))));
        Assert.Equal(["status", "epoch", "done"], Names(new JobEventTracker(7).Next(Record(JobStatus.Canceled, attempts: 1, 1))));
    }

    [Fact]
    public void A_run_that_started_and_ended_between_two_reads_is_still_seen_running()
    {
        var tracker = new JobEventTracker();
        tracker.Next(Record(JobStatus.Queued));

        IReadOnlyList<PendingEvent> events = tracker.Next(Record(JobStatus.Succeeded, attempts: 1, 0.5, 0.25));

        Assert.Equal(["status", "epoch", "epoch", "status", "done"], Names(events));
        Job running = Assert.IsType<Job>(events[0].Data);
        Assert.Equal(JobStatus.Running, running.Status);
        Assert.Null(running.Result);
        Assert.Empty(running.EpochLosses);
        Assert.Equal(JobStatus.Succeeded, Assert.IsType<Job>(events[3].Data).Status);
    }

    [Fact]
    public void A_started_job_canceled_between_two_reads_passes_through_canceling()
    {
        var tracker = new JobEventTracker();
        tracker.Next(Record(JobStatus.Running, attempts: 1));

        IReadOnlyList<PendingEvent> events = tracker.Next(Record(JobStatus.Canceled, attempts: 1, 0.5));

        Assert.Equal(["epoch", "status", "status", "done"], Names(events));
        Assert.Equal([JobStatus.Canceling, JobStatus.Canceled], events.Skip(1).Take(2).Select(e => Assert.IsType<Job>(e.Data).Status));
    }

    [Fact]
    public void A_queued_job_canceled_before_it_started_goes_straight_to_canceled()
    {
        var tracker = new JobEventTracker();
        tracker.Next(Record(JobStatus.Queued, attempts: 1)); // queued again after an earlier attempt

        IReadOnlyList<PendingEvent> events = tracker.Next(Record(JobStatus.Canceled, attempts: 1));

        Assert.Equal(["status", "done"], Names(events));
        Assert.Equal(JobStatus.Canceled, Assert.IsType<Job>(events[0].Data).Status);
    }

    private static string[] Names(IEnumerable<PendingEvent> events) => [.. events.Select(e => e.Name)];

    private static JobRecord Record(JobStatus status, int attempts = 0, params double[] losses) => new()
    {
        Id = "j",
        Status = status,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Request = new JobRequest { Training = new TrainingRequest { Epochs = 3 } },
        EpochLosses = losses,
        Attempts = attempts,
    };
}
