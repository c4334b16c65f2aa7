using System.Diagnostics;

namespace LinRegService.Telemetry;

/// <summary>
/// The names the service's telemetry goes under: one meter and one activity source, both
/// <see cref="Name"/>, and the attribute names its instruments and spans share (docs/operations.md).
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "LinRegService";

    /// <summary>The spans of submissions and attempts; a span is made only while a listener (the tracer provider) wants it.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// Seconds, for time queued and time running: from a book run's 100 µs to a two-hour job, so the
    /// default buckets' 0–10 s range neither lumps every book run together nor caps long jobs.
    /// </summary>
    public static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

    public const string OwnerRole = "linreg.owner.role";
    public const string SubmissionKind = "linreg.submission.kind";
    public const string RejectionReason = "linreg.rejection.reason";
    public const string JobOutcome = "linreg.job.outcome";
    public const string JobFailure = "linreg.job.failure";
    public const string AttemptOutcome = "linreg.attempt.outcome";
    public const string RenewalResult = "linreg.lease.renewal.result";
    public const string JobId = "linreg.job.id";
    public const string SweepId = "linreg.sweep.id";
    public const string Replica = "linreg.replica";

    /// <summary>The role attribute of a job stored before telemetry (it did not keep its submitter's role).</summary>
    public const string UnknownRole = "unknown";
}
