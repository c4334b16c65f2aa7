using System.Text.Json;

namespace LinRegService.Contracts;

/// <summary>
/// A grid of jobs on the same data: one ordinary job per point of the cartesian product of the
/// grid's values, each the base request with the point's values set.
/// </summary>
public sealed record SweepRequest
{
    /// <summary>The job request every grid point starts from (the book's run when left out). Seeds left out are drawn once, so every job sees the same data and starting weights unless the grid varies a seed.</summary>
    public JobRequest? Base { get; init; }

    /// <summary>
    /// Field paths of the job request (<c>training.learningRate</c>, <c>training.loss</c>, <c>dataset.seed</c>, …; any
    /// <c>training</c> or <c>dataset</c> field but <c>training.warmStartFrom</c>) and the values each takes.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>>? Grid { get; init; }

    /// <summary>Grid values from plain .NET values, e.g. <c>SweepRequest.Values(0.01, 0.1, 1)</c>.</summary>
    public static IReadOnlyList<JsonElement> Values<T>(params T[] values) =>
        [.. values.Select(value => JsonSerializer.SerializeToElement(value, ContractJson.Options))];
}

/// <summary>Where a sweep is: <c>queued</c> (no job started), <c>running</c>, <c>finished</c> (every job ended), <c>canceled</c> (it ended with jobs canceled).</summary>
public enum SweepStatus
{
    /// <summary>No job has started yet.</summary>
    Queued,

    /// <summary>Some jobs have started and some have not ended.</summary>
    Running,

    /// <summary>Every job ended, none canceled (some may have failed, e.g. diverged).</summary>
    Finished,

    /// <summary>Every job ended and some were canceled.</summary>
    Canceled,
}

/// <summary>A sweep as <c>GET /api/sweeps/{id}</c> returns it.</summary>
public sealed record Sweep
{
    /// <summary>The sweep's id.</summary>
    public required string Id { get; init; }

    /// <summary>Where the sweep is, from its jobs' statuses.</summary>
    public required SweepStatus Status { get; init; }

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The request: the base with its seeds drawn, and the grid.</summary>
    public required SweepRequest Request { get; init; }

    /// <summary>How many of its jobs are in each state.</summary>
    public required SweepProgress Progress { get; init; }

    /// <summary>One entry per grid point, in grid order (the last grid field varies fastest).</summary>
    public required IReadOnlyList<SweepJob> Jobs { get; init; }

    /// <summary>The succeeded job with the lowest final squared loss (comparable across loss functions); null until one succeeds.</summary>
    public string? BestJobId { get; init; }
}

/// <summary>How many of a sweep's jobs are in each state.</summary>
/// <param name="Total">All its jobs.</param>
/// <param name="Queued">Waiting for a worker.</param>
/// <param name="Running">Running or canceling.</param>
/// <param name="Succeeded">Ended with a result.</param>
/// <param name="Failed">Ended without one (diverged, out of time).</param>
/// <param name="Canceled">Canceled.</param>
public sealed record SweepProgress(int Total, int Queued, int Running, int Succeeded, int Failed, int Canceled);

/// <summary>One grid point of a sweep and how its job went.</summary>
public sealed record SweepJob
{
    /// <summary>The job's id (<c>GET /api/jobs/{id}</c> has all of it).</summary>
    public required string JobId { get; init; }

    /// <summary>The grid values of this point, by field path.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Values { get; init; }

    /// <summary>The job's status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Epochs finished so far.</summary>
    public required int EpochsRun { get; init; }

    /// <summary>The last epoch's loss (the job's own loss function); null before the first epoch ends.</summary>
    public double? FinalLoss { get; init; }

    /// <summary>The mean (ŷ − y)²/2 over the dataset when the job ended, whatever its loss function; null unless it succeeded.</summary>
    public double? FinalSquaredLoss { get; init; }

    /// <summary>‖w_true − w_learned‖₂; null unless it succeeded, and null for a job on a stored dataset (no true weights).</summary>
    public double? WeightErrorNorm { get; init; }

    /// <summary>Training time in milliseconds; null unless it succeeded.</summary>
    public double? TrainMs { get; init; }

    /// <summary>Whether the job failed because training diverged.</summary>
    public bool Diverged { get; init; }

    /// <summary>Why the job failed; null otherwise.</summary>
    public string? Error { get; init; }
}

/// <summary>A page of sweeps, newest first.</summary>
/// <param name="Items">The sweeps.</param>
/// <param name="Next">Cursor of the next page, or null on the last page.</param>
public sealed record SweepList(IReadOnlyList<Sweep> Items, string? Next);

/// <summary>The data of a sweep stream's <c>epoch</c> event: a job of the sweep finished an epoch.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">Its loss.</param>
public sealed record SweepEpochEvent(string JobId, int Epoch, double Loss);
