using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Storage;

namespace LinRegService.Sweeps;

/// <summary>From a stored sweep and its jobs to the contract's <see cref="Sweep"/>.</summary>
internal static class SweepMapping
{
    /// <summary>The sweep; <paramref name="withJobs"/> false leaves the per-job entries out (list items).</summary>
    public static Sweep ToContract(this SweepRecord sweep, IReadOnlyList<JobRecord> jobs, bool withJobs = true) =>
        sweep.ToContract(jobs, jobs.ToDictionary(j => j.Id, j => new LossSummary(j.EpochLosses.Count, j.EpochLosses.Count > 0 ? j.EpochLosses[^1] : double.NaN)), withJobs);

    /// <summary>The sweep from its jobs read without their losses, and each one's <see cref="LossSummary"/>.</summary>
    public static Sweep ToContract(this SweepRecord sweep, IReadOnlyList<JobRecord> jobs, IReadOnlyDictionary<string, LossSummary> losses, bool withJobs = true)
    {
        IReadOnlyList<string> paths = [.. sweep.Request.Grid?.Keys ?? []];
        List<SweepJob> entries = [.. jobs.Select(job => Entry(job, paths, losses.GetValueOrDefault(job.Id)))];
        string? best = entries.Where(e => e.Status == JobStatus.Succeeded && e.FinalSquaredLoss is { } loss && double.IsFinite(loss))
            .MinBy(e => e.FinalSquaredLoss)?.JobId;
        return new Sweep
        {
            Id = sweep.Id,
            Status = StatusOf(jobs),
            CreatedAt = sweep.CreatedAt,
            Request = sweep.Request,
            Progress = new SweepProgress(
                jobs.Count,
                jobs.Count(j => j.Status == JobStatus.Queued),
                jobs.Count(j => j.Status is JobStatus.Running or JobStatus.Canceling),
                jobs.Count(j => j.Status == JobStatus.Succeeded),
                jobs.Count(j => j.Status == JobStatus.Failed),
                jobs.Count(j => j.Status == JobStatus.Canceled)),
            Jobs = withJobs ? entries : [],
            BestJobId = best,
        };
    }

    public static SweepStatus StatusOf(IReadOnlyList<JobRecord> jobs)
    {
        if (jobs.All(j => j.Status.IsFinished()))
        {
            return jobs.Any(j => j.Status == JobStatus.Canceled) ? SweepStatus.Canceled : SweepStatus.Finished;
        }
        return jobs.All(j => j.Status == JobStatus.Queued) ? SweepStatus.Queued : SweepStatus.Running;
    }

    /// <summary>Whether the job failed because training diverged (the engine's own words in its error).</summary>
    public static bool Diverged(JobRecord job) =>
        job.Status == JobStatus.Failed && job.ErrorMessage?.Contains("diverged", StringComparison.OrdinalIgnoreCase) == true;

    private static SweepJob Entry(JobRecord job, IReadOnlyList<string> paths, LossSummary losses)
    {
        JsonNode request = JsonSerializer.SerializeToNode(job.Request, StoreJson.Options)!;
        return new SweepJob
        {
            JobId = job.Id,
            // The value the job really ran with, read from its stored (resolved) request.
            Values = paths.ToDictionary(path => path, path => ValueAt(request, path)),
            Status = job.Status,
            EpochsRun = losses.Count,
            FinalLoss = losses.Count > 0 ? losses.Last : null,
            FinalSquaredLoss = FinalSquaredLoss(job, losses),
            WeightErrorNorm = job.Result is { WeightError: { } error } ? Math.Sqrt(error.Sum(e => (double)e * e)) : null, // null without a truth (a stored dataset)
            TrainMs = job.Result?.Timings.TrainMs,
            Diverged = Diverged(job),
            Error = job.ErrorMessage,
        };
    }

    /// <summary>The result's final squared loss (for a result stored before it existed, the last epoch loss: see <see cref="JobMapping.WithRunCounts"/>).</summary>
    private static double? FinalSquaredLoss(JobRecord job, LossSummary losses) => job.Result switch
    {
        null => null,
        { EpochsRun: > 0 } result => result.FinalSquaredLoss,
        _ when losses.Count > 0 => losses.Last, // stored before results counted epochs: every such job trained on the squared loss
        var result => result.FinalSquaredLoss,
    };

    private static JsonElement ValueAt(JsonNode request, string path)
    {
        string[] parts = path.Split('.');
        JsonNode? value = request[parts[0]]?[parts[1]];
        return value is null ? JsonSerializer.SerializeToElement<object?>(null) : JsonSerializer.SerializeToElement(value);
    }
}
