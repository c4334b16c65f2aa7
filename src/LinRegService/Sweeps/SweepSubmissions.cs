using System.Text.Json;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LinRegService.Sweeps;

/// <summary>How a sweep submission ended.</summary>
internal abstract record SweepOutcome
{
    /// <summary>The sweep and all its jobs are queued.</summary>
    public sealed record Accepted(SweepRecord Sweep, IReadOnlyList<JobRecord> Jobs) : SweepOutcome;

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
    IOptions<JobsOptions> jobOptions, IOptions<SweepsOptions> options, IOptions<JsonOptions> json, TimeProvider clock, ILogger<SweepSubmissions> logger)
{
    public async Task<SweepOutcome> SubmitAsync(SweepRequest request, string? idempotencyKey, CancellationToken cancellationToken)
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
        if (limits is not null && points.Count > limits.MaxActiveJobs)
        {
            return new SweepOutcome.TooManyJobs(points.Count, limits.MaxActiveJobs);
        }

        var records = new List<JobRecord>(points.Count);
        foreach (GridPoint point in points)
        {
            JobRequest jobRequest = SweepGrid.Apply(baseRequest, point, serializer);
            (JobRecord? record, _, SubmissionOutcome? refusal) = await jobs.PrepareAsync(jobRequest, null, null, sweep.Id, limits, cancellationToken);
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

        var admission = new AddLimits(settings.MaxQueued, limits?.MaxActiveJobs ?? int.MaxValue, limits?.MaxStoredBytes ?? long.MaxValue);
        int retryAfter = runner.RetryAfterSeconds(settings.RetryAfterSeconds);
        switch (await store.AddSweepAsync(sweep, records, admission, cancellationToken))
        {
            case AddResult.Added:
                break;
            case AddResult.OverQuota(string quota, long limit, long used):
                return new SweepOutcome.Refused(new SubmissionOutcome.OverQuota(quota, limit, used, SingleJob: false, retryAfter));
            case AddResult.KeyTaken when await sweeps.FindByIdempotencyKeyAsync(idempotencyKey!, cancellationToken) is { } winner:
                return await ReplayAsync(winner, requestHash!, cancellationToken);
            default:
                return new SweepOutcome.Refused(new SubmissionOutcome.QueueFull(settings.MaxQueued, retryAfter));
        }
        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.SweepId] = sweep.Id }))
        {
            logger.SweepQueued(records.Count, request.Grid!.Keys);
        }
        runner.WakeWorkers();
        return new SweepOutcome.Accepted(sweep, records);
    }

    /// <summary>The sweep an earlier submission with the same key made, if its body was the same.</summary>
    private async Task<SweepOutcome> ReplayAsync(SweepRecord earlier, string requestHash, CancellationToken cancellationToken) =>
        earlier.RequestHash == requestHash
            ? new SweepOutcome.Accepted(earlier, await sweeps.JobsAsync(earlier.Id, withLosses: false, cancellationToken))
            : new SweepOutcome.KeyReused();

    /// <summary>The base with its dataset and training seeds drawn when left out: one draw for the whole grid.</summary>
    private static JobRequest WithSeeds(JobRequest request) => request with
    {
        // A stored dataset (dataset.id) has no seed: its rows are its own.
        Dataset = request.Dataset?.Id is not null ? request.Dataset
            : (request.Dataset ?? new DatasetRequest()) with { Seed = request.Dataset?.Seed ?? Random.Shared.NextInt64(JobRequestResolver.MaxSeed) },
        Training = (request.Training ?? new TrainingRequest()) with { Seed = request.Training?.Seed ?? Random.Shared.NextInt64(JobRequestResolver.MaxSeed) },
    };

    /// <summary>A grid point's bad fields, named where the caller wrote them: a grid field as <c>grid.&lt;path&gt;</c>, any other as <c>base.&lt;path&gt;</c>.</summary>
    private static Dictionary<string, string[]> Located(Dictionary<string, string[]> errors, GridPoint point)
    {
        string values = string.Join(", ", point.Values.Select(v => $"{v.Key} = {v.Value.GetRawText()}"));
        return errors.ToDictionary(
            e => point.Values.Keys.FirstOrDefault(path => e.Key.StartsWith(path, StringComparison.Ordinal)) is { } path ? $"grid.{path}" : $"base.{e.Key}",
            e => e.Value.Select(message => $"At the grid point {values}: {message}").ToArray());
    }
}
