using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Storage;

namespace LinRegService.Events;

/// <summary>One event to send: its name, its data (serialized as JSON) and, for epochs, its id.</summary>
internal sealed record PendingEvent(string Name, object Data, string? Id = null);

/// <summary>
/// Decides which events a fresh read of a job calls for, given what the stream has sent so far:
/// <c>status</c> first and whenever the status changes, an <c>epoch</c> for each loss not yet sent,
/// and at a final status the last epochs, that status, then <c>done</c>. A status the job passed
/// through between two reads is told too, from what the record shows it must have been. A rerun (a new attempt
/// after a replica died, whose losses start again) sends <c>status</c> and counts epochs from 1 again.
/// </summary>
internal sealed class JobEventTracker(int epochsAlreadySent = 0)
{
    private JobStatus? _status;
    private int _attempts;
    private int _epochsSent = Math.Max(0, epochsAlreadySent);

    /// <summary>The job reached a final status and <c>done</c> was produced: the stream ends.</summary>
    public bool Done { get; private set; }

    public IReadOnlyList<PendingEvent> Next(JobRecord job)
    {
        var events = new List<PendingEvent>();
        if (Done)
        {
            return events;
        }
        bool first = _status is null;
        bool rerun = !first && job.Attempts != _attempts;
        if (rerun || job.EpochLosses.Count < _epochsSent)
        {
            _epochsSent = 0; // the losses start again (or the client's Last-Event-ID is from an earlier attempt)
        }
        bool final = job.Status.IsFinished();
        bool statusDue = first || rerun || job.Status != _status;
        // A job can pass through a status between two reads (the book's run goes from queued to
        // succeeded within a millisecond). The record tells which it must have passed: a claim
        // (queued → running) adds an attempt, and a running job that ends canceled was canceling first.
        bool passedRunning = !first && _status == JobStatus.Queued && job.Attempts > _attempts
            && job.Status is not (JobStatus.Running or JobStatus.Queued);
        bool passedCanceling = !first && job.Status == JobStatus.Canceled && (_status == JobStatus.Running || passedRunning);
        _status = job.Status;
        _attempts = job.Attempts;

        if (passedRunning)
        {
            events.Add(Status(job with { Status = JobStatus.Running, FinishedAt = null, Result = null, ErrorMessage = null, EpochLosses = [] }));
        }
        // "status" at once; a change to a final status comes after the epochs that led to it.
        if (statusDue && (first || !final))
        {
            events.Add(Status(job));
        }
        for (; _epochsSent < job.EpochLosses.Count; _epochsSent++)
        {
            int epoch = _epochsSent + 1;
            events.Add(new PendingEvent(JobEventNames.Epoch, new EpochEvent(epoch, job.EpochLosses[_epochsSent]),
                epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (final)
        {
            if (passedCanceling)
            {
                events.Add(Status(job with { Status = JobStatus.Canceling, FinishedAt = null }));
            }
            if (statusDue && !first)
            {
                events.Add(Status(job));
            }
            events.Add(new PendingEvent(JobEventNames.Done, new DoneEvent(job.Id, job.Status)));
            Done = true;
        }
        return events;
    }

    /// <summary>The job as <c>GET /api/jobs/{id}</c> shows it, without its samples (they never change and may be large).</summary>
    private static PendingEvent Status(JobRecord job) =>
        new(JobEventNames.Status, job.ToContract() with { Samples = null });
}
