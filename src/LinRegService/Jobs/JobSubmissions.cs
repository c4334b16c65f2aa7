using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Hosting;
using LinRegService.Storage;
using LinRegService.Telemetry;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using Microsoft.Extensions.Options;

namespace LinRegService.Jobs;

/// <summary>
/// Submitting a job, start to end: replay of an idempotency key, resolving defaults and seeds,
/// its estimated peak memory against <c>Jobs:MaxJobBytes</c>, the job's first rows, storing it queued within the queue limit
/// under the caller's key, and waking a worker.
/// </summary>
internal sealed class JobSubmissions(
    IJobStore store, IDatasetStore datasets, JobRequestResolver resolver, IJobRunner runner, ICaller caller, CallerQuotas quotas, IOptions<JobsOptions> options,
    JobMetrics metrics, ReplicaIdentity replica, TimeProvider clock, ILogger<JobSubmissions> logger)
{
    /// <summary>Submits in a span of its own, whose context the job keeps (its attempts continue the trace), and counts what came of it.</summary>
    public async Task<SubmissionOutcome> SubmitAsync(JobRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using Activity? span = JobTracing.StartSubmission("linreg.job.submit", replica);
        SubmissionOutcome outcome = await SubmitInSpanAsync(request, idempotencyKey, cancellationToken);
        Count(outcome, span);
        return outcome;
    }

    /// <summary>A refusal under its reason; an accepted job was counted where it was stored (a replayed one is not a new job).</summary>
    private void Count(SubmissionOutcome outcome, Activity? span)
    {
        if (ReasonOf(outcome) is { } reason)
        {
            metrics.Rejected(reason, caller.Role);
            span?.SetTag(ServiceTelemetry.RejectionReason, reason);
        }
        else if (outcome is SubmissionOutcome.Accepted(JobRecord job))
        {
            span?.SetTag(ServiceTelemetry.JobId, job.Id);
        }
    }

    /// <summary>The <c>linreg.rejection.reason</c> of a refusal; null for an accepted job.</summary>
    internal static string? ReasonOf(SubmissionOutcome outcome) => outcome switch
    {
        SubmissionOutcome.Invalid => "validation",
        SubmissionOutcome.Conflict => "conflict",
        SubmissionOutcome.TooLarge => "memory",
        SubmissionOutcome.OverQuota => "quota",
        SubmissionOutcome.QueueFull => "queue_full",
        _ => null,
    };

    private async Task<SubmissionOutcome> SubmitInSpanAsync(JobRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        string? requestHash = idempotencyKey is null ? null : HashOf(request);
        if (idempotencyKey is not null && await store.FindByIdempotencyKeyAsync(caller.KeyId, idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(earlier, requestHash!);
        }

        ApiKeyQuotas? limits = await quotas.OfCallerAsync(cancellationToken);
        (JobRecord? record, ResolvedJob? job, SubmissionOutcome? refusal) = await PrepareAsync(request, idempotencyKey, requestHash, sweepId: null, limits, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        JobsOptions settings = options.Value;
        // The store counts the queue and the owner's use and adds in one step: a count here first would let a flood through.
        var admission = new AddLimits(settings.MaxQueued, limits?.MaxActiveJobs ?? int.MaxValue, limits?.MaxStoredBytes ?? long.MaxValue);
        JobRecord stored;
        switch (await store.AddAsync(record!, admission, cancellationToken))
        {
            case AddResult.Added(JobRecord added):
                stored = added;
                break;
            case AddResult.OverQuota(string quota, long limit, long used):
                return new SubmissionOutcome.OverQuota(quota, limit, used, SingleJob: false, runner.RetryAfterSeconds(settings.RetryAfterSeconds));
            default:
                return new SubmissionOutcome.QueueFull(settings.MaxQueued, runner.RetryAfterSeconds(settings.RetryAfterSeconds));
        }
        if (stored.Id != record!.Id)
        {
            return Replay(stored, requestHash!); // a concurrent submission with the same key won the race
        }
        metrics.Submitted(caller.Role, "job", 1);
        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.JobId] = stored.Id }))
        {
            logger.JobQueued(job!.Source.Examples, job.Source.Features, job.Training.Epochs, job.Training.BatchSize);
        }
        runner.WakeWorkers();
        return new SubmissionOutcome.Accepted(stored);
    }

    /// <summary>
    /// One job request resolved, checked against the memory limit and the caller's per-job quotas,
    /// and made into the record the store keeps (its first rows included); or the outcome that
    /// refuses it. Sweeps prepare each grid point here too.
    /// </summary>
    internal async Task<(JobRecord? Record, ResolvedJob? Job, SubmissionOutcome? Refusal)> PrepareAsync(
        JobRequest request, string? idempotencyKey, string? requestHash, string? sweepId, ApiKeyQuotas? limits, CancellationToken cancellationToken,
        Dictionary<string, JobSamples>? firstRows = null)
    {
        (ResolvedJob? job, Dictionary<string, string[]> errors, bool conflict) = await resolver.ResolveAsync(request, cancellationToken);
        if (job is null)
        {
            return (null, null, conflict ? new SubmissionOutcome.Conflict("The request conflicts with the state of another job", null, errors) : new SubmissionOutcome.Invalid(errors));
        }
        JobsOptions settings = options.Value;
        long peakBytes = job.EstimatePeakBytes(settings.Limits);
        if (peakBytes > settings.EffectiveMaxJobBytes)
        {
            return (null, job, new SubmissionOutcome.TooLarge(peakBytes, settings.EffectiveMaxJobBytes));
        }
        if (limits is not null && CallerQuotas.TooLarge(job, limits) is { } tooLarge)
        {
            return (null, job, tooLarge);
        }
        // A sweep passes a cache: its points that share a dataset (and sample count) share its first rows, made once.
        string? rowsKey = firstRows is null ? null : JsonSerializer.Serialize(job.Request.Dataset, StoreJson.Options) + "|" + job.SampleCount;
        if (rowsKey is null || !firstRows!.TryGetValue(rowsKey, out JobSamples? samples))
        {
            samples = (await job.Source.ReadRowsAsync(datasets, 0, Math.Min(job.SampleCount, job.Source.Examples), cancellationToken)).ToSamples();
            if (rowsKey is not null)
            {
                firstRows![rowsKey] = samples;
            }
        }
        var record = new JobRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Status = JobStatus.Queued,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()), // the store keeps milliseconds
            Request = job.Request,
            WarmStart = job.WarmStart,
            Samples = samples,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            PeakBytes = peakBytes,
            Owner = caller.KeyId, // the caller's key owns the job (and scopes its idempotency key)
            SweepId = sweepId,
            OwnerRole = caller.Role,
            TraceParent = JobTracing.CurrentTraceParent(), // the submission's span: each attempt continues its trace
        };
        if (limits is not null && CallerQuotas.TooLargeToStore(record, limits) is { } tooLargeToStore)
        {
            return (null, job, tooLargeToStore);
        }
        return (record, job, null);
    }

    private static SubmissionOutcome Replay(JobRecord earlier, string requestHash) =>
        earlier.RequestHash == requestHash
            ? new SubmissionOutcome.Accepted(earlier)
            : new SubmissionOutcome.Conflict("Idempotency-Key reused", "This Idempotency-Key was used before with a different request body.", null);

    /// <summary>A hash of the request as bound (not its raw bytes), so spacing and key order do not matter; the UTF-8 JSON written once, no string between.</summary>
    private static string HashOf(JobRequest request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, StoreJson.Options)));
}
