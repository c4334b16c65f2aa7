using System.Diagnostics;
using LinRegService.Hosting;
using LinRegService.Storage;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using OpenTelemetry;

namespace LinRegService.Telemetry;

/// <summary>
/// A job's trace: the submission's span (its W3C context stored with the job), and per attempt a
/// span continuing that trace on whichever replica claims the job, with the phases as children.
/// The engine runs on its own thread and knows nothing of spans, so the claim and the phases are
/// recorded from the times measured around them (<see cref="RunTimings"/>), the phases in the
/// order the engine runs them.
/// </summary>
public static class JobTracing
{
    /// <summary>
    /// Epoch events kept on one train span: a long job's first ones, not a million. 128 is what
    /// OTLP exporters keep of a span's events unless <c>OTEL_SPAN_EVENT_COUNT_LIMIT</c> says otherwise.
    /// </summary>
    public const int MaxEpochEvents = 128;

    /// <summary>
    /// No spans for what runs inside (OpenTelemetry's suppression): the store statements a worker
    /// makes every poll, every lease renewal and every loss append would otherwise be a trace or a
    /// span each, tens of thousands for an hour-long job.
    /// </summary>
    public static IDisposable Untraced() => SuppressInstrumentationScope.Begin();

    /// <summary>A submission's span, naming the replica that took it (its attempts name the one that ran them).</summary>
    public static Activity? StartSubmission(string name, ReplicaIdentity replica) =>
        ServiceTelemetry.Source.StartActivity(name)?.SetTag(ServiceTelemetry.Replica, replica.Name);

    /// <summary>The current span's W3C <c>traceparent</c>, to store with a job; null when nothing traces.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// The attempt's span, begun when the claim began, a child of the submission's stored context
    /// (a root of its own for a job stored before traces), with the claim as its first child.
    /// </summary>
    public static Activity? StartAttempt(JobRecord job, string replica, DateTime claimStarted, DateTime claimEnded)
    {
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out ActivityContext parent);
        Activity? attempt = ServiceTelemetry.Source.StartActivity("linreg.job.attempt", ActivityKind.Consumer, parent, startTime: claimStarted);
        if (attempt is null)
        {
            return null;
        }
        attempt.SetTag(ServiceTelemetry.JobId, job.Id);
        attempt.SetTag("linreg.job.attempt", job.Attempts);
        attempt.SetTag(ServiceTelemetry.Replica, replica);
        if (job.SweepId is { } sweep)
        {
            attempt.SetTag(ServiceTelemetry.SweepId, sweep);
        }
        Record("linreg.job.claim", attempt, claimStarted, claimEnded, []);
        return attempt;
    }

    /// <summary>The phases of a run that ended with a result, in the order they ran: generate (or load), then train with its epoch events and the closed form.</summary>
    public static void RecordPhases(Activity? attempt, DateTime runStarted, RunTimings timings, IReadOnlyList<ActivityEvent> epochs)
    {
        if (attempt is null)
        {
            return;
        }
        DateTime generated = runStarted + TimeSpan.FromMilliseconds(timings.GenerateMs);
        Record("linreg.job.generate", attempt, runStarted, generated, []);
        // A generated run solves the closed form on its rows before training shuffles them; a run that makes a Dataset first (stored, ordered by label, standardized) after.
        (double firstMs, double secondMs) = timings.ClosedFormFirst ? (timings.ClosedFormMs, timings.TrainMs) : (timings.TrainMs, timings.ClosedFormMs);
        DateTime between = generated + TimeSpan.FromMilliseconds(firstMs);
        DateTime ended = between + TimeSpan.FromMilliseconds(secondMs);
        if (timings.ClosedFormFirst)
        {
            Record("linreg.job.closed_form", attempt, generated, between, []);
            Record("linreg.job.train", attempt, between, ended, epochs);
        }
        else
        {
            Record("linreg.job.train", attempt, generated, between, epochs);
            Record("linreg.job.closed_form", attempt, between, ended, []);
        }
    }

    /// <summary>A run that ended without a result (diverged, canceled, timed out): one span over all of it, with the epochs it reported.</summary>
    public static void RecordUnfinishedRun(Activity? attempt, DateTime runStarted, IReadOnlyList<ActivityEvent> epochs, Exception error)
    {
        if (attempt is null)
        {
            return;
        }
        // The job's own words, never an internal exception's (they are for the log, under the job's id).
        (ActivityStatusCode code, string why) = error switch
        {
            OperationCanceledException => (ActivityStatusCode.Unset, "stopped before the end: canceled, out of time, lease lost or the service stopping"),
            TrainingDivergedException diverged => (ActivityStatusCode.Error, diverged.Message),
            _ => (ActivityStatusCode.Error, "internal error; the job's log has the details"),
        };
        Record("linreg.job.train", attempt, runStarted, DateTime.UtcNow, epochs, (code, why));
    }

    /// <summary>An epoch's event for the train span, at the time the engine reported it.</summary>
    public static ActivityEvent Epoch(int epoch, double loss, DateTime at) =>
        new("epoch", at, new ActivityTagsCollection { ["linreg.epoch"] = epoch, ["linreg.loss"] = loss });

    private static void Record(
        string name, Activity parent, DateTime start, DateTime end, IReadOnlyList<ActivityEvent> events, (ActivityStatusCode Code, string Why)? status = null)
    {
        Activity? previous = Activity.Current;
        using (Activity? span = ServiceTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: start))
        {
            foreach (ActivityEvent item in events)
            {
                span?.AddEvent(item);
            }
            if (status is { } set)
            {
                span?.SetStatus(set.Code, set.Why);
            }
            span?.SetEndTime(end);
        }
        Activity.Current = previous; // a span started from a context ends by making its (absent) parent current
    }
}
