using System.Diagnostics;
using System.Text.Json;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Errors;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LinRegService.Sweeps;

/// <summary>How a sweep submission ended.</summary>
internal abstract record SweepOutcome
{
    /// <summary>The sweep and all its jobs are queued.</summary>
    public sealed record Accepted(Sweep Sweep) : SweepOutcome;

    /// <summary>Bad fields of the sweep or of a grid point, each with its messages.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : SweepOutcome;

    /// <summary>The sweep alone has more jobs than the key may have active: no wait helps.</summary>
    public sealed record TooManyJobs(int Jobs, long MaxActiveJobs) : SweepOutcome;

    /// <summary>The Idempotency-Key was used before with another body.</summary>
    public sealed record KeyReused : SweepOutcome;

    /// <summary>Refused as a job submission would be (memory, quotas, the queue).</summary>
    public sealed record Refused(SubmissionOutcome Outcome) : SweepOutcome;
}

/// <summary>
/// Submitting a sweep: the grid checked, the base's missing seeds drawn once (so every grid point
/// sees the same data and starting weights unless the grid varies a seed), each point prepared as
/// an ordinary job, and all of them stored in one step under the caller's key, or none.
/// </summary>
internal sealed class SweepSubmissions(
    IJobStore store, VisibleSweeps sweeps, JobSubmissions jobs, IJobRunner runner, ICaller caller, CallerQuotas quotas,
    IOptions<JobsOptions> jobOptions, IOptions<SweepsOptions> options, IOptions<JsonOptions> json, JobMetrics metrics, ReplicaIdentity replica, TimeProvider clock,
    ILogger<SweepSubmissions> logger)
{
    /// <summary>Submits in a span of its own, whose context every job of the sweep keeps, and counts a refusal under its reason.</summary>
    public async Task<SweepOutcome> SubmitAsync(SweepRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using Activity? span = JobTracing.StartSubmission("linreg.sweep.submit", replica);
        SweepOutcome outcome = await SubmitInSpanAsync(request, idempotencyKey, cancellationToken);
        string? reason = outcome switch
        {
            SweepOutcome.Invalid => "validation",
            SweepOutcome.TooManyJobs => "quota",
            SweepOutcome.KeyReused => "conflict",
            SweepOutcome.Refused(SubmissionOutcome refusal) => JobSubmissions.ReasonOf(refusal),
            _ => null,
        };
        if (reason is not null)
        {
            metrics.Rejected(reason, caller.Role);
            span?.SetTag(ServiceTelemetry.RejectionReason, reason);
        }
        else if (outcome is SweepOutcome.Accepted(Sweep sweep))
        {
            span?.SetTag(ServiceTelemetry.SweepId, sweep.Id);
        }
        return outcome;
    }

    private async Task<SweepOutcome> SubmitInSpanAsync(SweepRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        JsonSerializerOptions serializer = json.Value.SerializerOptions;
        string? requestHash = idempotencyKey is null ? null
            : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, StoreJson.Options)));
        if (idempotencyKey is not null && await sweeps.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(earlier, requestHash!, cancellationToken);
        }
        Dictionary<string, string[]> errors = SweepGrid.Check(request, options.Value.MaxJobs, serializer);
        if (errors.Count > 0)
        {
            return new SweepOutcome.Invalid(errors);
        }
        JobRequest baseRequest = WithSeeds(request.Base ?? new JobRequest());
        var sweep = new SweepRecord(Guid.CreateVersion7().ToString("N"), DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
            caller.KeyId, request with { Base = baseRequest }, 0)
        { IdempotencyKey = idempotencyKey, RequestHash = requestHash };
        IReadOnlyList<GridPoint> points = SweepGrid.Points(request.Grid!);
        JobsOptions settings = jobOptions.Value;
        if (points.Count > settings.MaxQueued)
        {
            return new SweepOutcome.Invalid(new() { ["grid"] = [$"The grid has {points.Count} points; the queue holds at most {settings.MaxQueued} jobs."] });
        }
        ApiKeyQuotas? limits = await quotas.OfCallerAsync(cancellationToken);
        int retryAfter = runner.RetryAfterSeconds(settings.RetryAfterSeconds);
        if (limits is not null)
        {
            if (points.Count > limits.MaxActiveJobs)
            {
                return new SweepOutcome.TooManyJobs(points.Count, limits.MaxActiveJobs);
            }
            // Before any point is prepared (each generates its first rows): a key whose active jobs leave no room waits, cheaply.
            OwnerUsage usage = await store.UsageAsync(caller.KeyId, cancellationToken);
            if (usage.ActiveJobs + points.Count > limits.MaxActiveJobs)
            {
                return new SweepOutcome.Refused(new SubmissionOutcome.OverQuota("maxActiveJobs", limits.MaxActiveJobs, usage.ActiveJobs, SingleJob: false, retryAfter));
            }
        }

        var records = new List<JobRecord>(points.Count);
        var firstRows = new Dictionary<string, JobSamples>(StringComparer.Ordinal); // most grids vary training alone: one dataset, its rows made once
        foreach (GridPoint point in points)
        {
            JobRequest jobRequest = SweepGrid.Apply(baseRequest, point, serializer);
            (JobRecord? record, _, SubmissionOutcome? refusal) = await jobs.PrepareAsync(jobRequest, null, null, sweep.Id, limits, cancellationToken, firstRows);
            switch (refusal)
            {
                case null:
                    records.Add(record!);
                    break;
                case SubmissionOutcome.Invalid(Dictionary<string, string[]> pointErrors):
                    return new SweepOutcome.Invalid(Located(pointErrors, point));
                default:
                    return new SweepOutcome.Refused(refusal);
            }
        }
        sweep = sweep with { JobCount = records.Count };
        if (limits is not null && CallerQuotas.StoredBytesOf(records, limits.MaxStoredBytes) is var bytes && bytes > limits.MaxStoredBytes)
        {
            // The jobs together could never be stored under this key: a 413, not a 429 to wait out.
            return new SweepOutcome.Refused(new SubmissionOutcome.OverQuota("maxStoredBytes", limits.MaxStoredBytes, bytes, SingleJob: true));
        }

        var admission = new AddLimits(settings.MaxQueued, limits?.MaxActiveJobs ?? int.MaxValue, limits?.MaxStoredBytes ?? long.MaxValue);
        AddResult added = await store.AddSweepAsync(sweep, records, admission, cancellationToken);
        if (added is not AddResult.Added && idempotencyKey is not null && await sweeps.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } winner)
        {
            return await ReplayAsync(winner, requestHash!, cancellationToken); // a retry that raced the first submission: the first answers
        }
        switch (added)
        {
            case AddResult.Added:
                break;
            case AddResult.OverQuota(string quota, long limit, long used):
                return new SweepOutcome.Refused(new SubmissionOutcome.OverQuota(quota, limit, used, SingleJob: false, retryAfter));
            default:
                return new SweepOutcome.Refused(new SubmissionOutcome.QueueFull(settings.MaxQueued, retryAfter));
        }
        metrics.Submitted(caller.Role, "sweep", records.Count);
        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.SweepId] = sweep.Id }))
        {
            logger.SweepQueued(records.Count, request.Grid!.Keys);
        }
        runner.WakeWorkers();
        return new SweepOutcome.Accepted(sweep.ToContract(records));
    }

    /// <summary>The sweep an earlier submission with the same key made, if its body was the same.</summary>
    private async Task<SweepOutcome> ReplayAsync(SweepRecord earlier, string requestHash, CancellationToken cancellationToken) =>
        earlier.RequestHash == requestHash
            ? new SweepOutcome.Accepted(await sweeps.ReadAsync(earlier, cancellationToken))
            : new SweepOutcome.KeyReused();

    /// <summary>The base with its dataset and training seeds drawn when left out: one draw for the whole grid.</summary>
    private static JobRequest WithSeeds(JobRequest request) => request with
    {
        // A stored dataset has no seed to draw (and may be given none).
        Dataset = request.Dataset?.Id is not null ? request.Dataset
            : (request.Dataset ?? new DatasetRequest()) with { Seed = request.Dataset?.Seed ?? Random.Shared.NextInt64(JobRequestResolver.MaxSeed) },
        Training = (request.Training ?? new TrainingRequest()) with { Seed = request.Training?.Seed ?? Random.Shared.NextInt64(JobRequestResolver.MaxSeed) },
    };

    /// <summary>A grid point's bad fields, named where the caller wrote them: a grid field as <c>grid.&lt;path&gt;</c>, any other as <c>base.&lt;path&gt;</c>.</summary>
    private static Dictionary<string, string[]> Located(Dictionary<string, string[]> errors, GridPoint point)
    {
        // Each value shortened as any echoed value is: a message per error must not repeat a large value.
        string values = string.Join(", ", point.Values.Select(v => $"{v.Key} = {ReadableBindingErrors.Shortened(v.Value.GetRawText())}"));
        // Two fields under one grid path (dataset.outliers.label and .fraction) keep their own names below it.
        return errors.ToDictionary(
            e => point.Values.Keys.FirstOrDefault(path => e.Key.StartsWith(path, StringComparison.Ordinal)) is { } path
                ? $"grid.{path}{e.Key[path.Length..]}"
                : $"base.{e.Key}",
            e => e.Value.Select(message => $"At the grid point {values}: {message}").ToArray());
    }
}
