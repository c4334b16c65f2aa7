using System.Diagnostics;
using System.Diagnostics.Metrics;
using LinRegService.Contracts;
using LinRegService.Storage;

namespace LinRegService.Telemetry;

/// <summary>
/// The job counters and histograms (meter <see cref="ServiceTelemetry.Name"/>), told by the code
/// where each thing happens: a submission, a refusal, a claim, an attempt's end, a renewal. Each
/// terminal transition is counted once, by the replica that makes it. Unlistened instruments cost
/// a check and nothing else.
/// </summary>
public sealed class JobMetrics
{
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _queued;
    private readonly Histogram<double> _running;
    private readonly Counter<long> _epochs;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _renewals;
    private readonly Counter<long> _leasesLost;
    private readonly Counter<long> _reclaimed;
    private readonly Counter<long> _exhausted;

    public JobMetrics(IMeterFactory meters)
    {
        Meter meter = meters.Create(ServiceTelemetry.Name);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceTelemetry.DurationBuckets };
        _submitted = meter.CreateCounter<long>("linreg.jobs.submitted", "{job}", "Jobs accepted into the queue; each job of a sweep counts.");
        _rejected = meter.CreateCounter<long>("linreg.requests.rejected", "{request}", "Submissions refused, and calls refused by the rate limiter, by reason.");
        _started = meter.CreateCounter<long>("linreg.jobs.started", "{attempt}", "Attempts started: a job claimed by a worker of this replica.");
        _finished = meter.CreateCounter<long>("linreg.jobs.finished", "{job}", "Jobs that reached a final status here, by outcome.");
        _queued = meter.CreateHistogram("linreg.job.queued.duration", "s", "Time from a job's submission to its first claim.", advice: seconds);
        _running = meter.CreateHistogram("linreg.job.run.duration", "s", "Time one attempt ran, from its claim to its end, by how it ended.", advice: seconds);
        _epochs = meter.CreateCounter<long>("linreg.training.epochs", "{epoch}", "Epochs trained.");
        _rows = meter.CreateCounter<long>("linreg.training.rows", "{row}", "Rows trained on: a job's examples once per epoch.");
        _renewals = meter.CreateCounter<long>("linreg.lease.renewals", "{renewal}", "Lease renewals of running jobs: held, or gone (another replica took the job).");
        _leasesLost = meter.CreateCounter<long>("linreg.lease.lost", "{lease}", "Leases found lapsed by this replica's claims: the replica holding one stopped renewing it.");
        _reclaimed = meter.CreateCounter<long>("linreg.jobs.reclaimed", "{job}", "Jobs claimed again because an earlier attempt never ended.");
        _exhausted = meter.CreateCounter<long>("linreg.jobs.attempts_exhausted", "{job}", "Jobs failed because their attempts ran out.");
        // Rare events' series exist from the start at 0, so the first one shows in rate() and increase() (a series first seen at 1 counts as no change).
        _leasesLost.Add(0);
        _reclaimed.Add(0);
        _exhausted.Add(0);
    }

    public void Submitted(string role, string kind, int jobs) =>
        _submitted.Add(jobs, new(ServiceTelemetry.OwnerRole, role), new(ServiceTelemetry.SubmissionKind, kind));

    /// <summary>A refused call; <paramref name="reason"/> is one of validation, conflict, memory, quota, queue_full, rate_limit.</summary>
    public void Rejected(string reason, string role) =>
        _rejected.Add(1, new(ServiceTelemetry.RejectionReason, reason), new(ServiceTelemetry.OwnerRole, role));

    /// <summary>
    /// A claim: the lapsed jobs it ended, and the job it took. A job's first start observes the time
    /// it was queued; a job whose last attempt never ended is a reclaim, and that attempt's lease
    /// was lost (one requeued by a replica that stopped is neither).
    /// </summary>
    public void Claimed(ClaimResult claim, DateTimeOffset now)
    {
        Settled(claim.Settled);
        if (claim.Job is not { } job)
        {
            return;
        }
        if (claim.FirstClaim)
        {
            _queued.Record(Math.Max(0, (now - job.CreatedAt).TotalSeconds));
        }
        if (claim.Reclaimed)
        {
            _reclaimed.Add(1);
            _leasesLost.Add(1);
        }
    }

    /// <summary>An attempt starts running here.</summary>
    public void Started(JobRecord job) =>
        _started.Add(1, new KeyValuePair<string, object?>(ServiceTelemetry.OwnerRole, RoleOf(job.OwnerRole)));

    /// <summary>A job reached <paramref name="status"/>; <paramref name="failure"/> says why a failed one failed.</summary>
    public void Finished(JobStatus status, string? failure, string? role)
    {
        var tags = new TagList { { ServiceTelemetry.JobOutcome, JobStatusText.Of(status) }, { ServiceTelemetry.OwnerRole, RoleOf(role) } };
        if (status == JobStatus.Failed)
        {
            tags.Add(ServiceTelemetry.JobFailure, failure ?? "error");
        }
        _finished.Add(1, tags);
    }

    /// <summary>One attempt ended: succeeded, failed, canceled, requeued (the service stopped) or lease_lost.</summary>
    public void AttemptEnded(string outcome, TimeSpan ran) =>
        _running.Record(ran.TotalSeconds, new KeyValuePair<string, object?>(ServiceTelemetry.AttemptOutcome, outcome));

    public void Trained(int epochs, long rows)
    {
        _epochs.Add(epochs);
        _rows.Add(rows);
    }

    public void Renewed(bool held) =>
        _renewals.Add(1, new KeyValuePair<string, object?>(ServiceTelemetry.RenewalResult, held ? "held" : "gone"));

    /// <summary>Lapsed jobs a claim (or start-up recovery) ended: each one's lease was lost; a failed one had no attempts left.</summary>
    public void Settled(IEnumerable<SettledJob> jobs)
    {
        foreach (SettledJob job in jobs)
        {
            _leasesLost.Add(1);
            if (job.Status == JobStatus.Failed)
            {
                _exhausted.Add(1);
            }
            Finished(job.Status, job.Status == JobStatus.Failed ? "interrupted" : null, job.OwnerRole);
        }
    }

    private static string RoleOf(string? role) => role ?? ServiceTelemetry.UnknownRole;
}
