namespace LinRegService.Contracts;

/// <summary>A training job as <c>GET /api/jobs/{id}</c> returns it.</summary>
public sealed record Job
{
    /// <summary>The job's id.</summary>
    public required string Id { get; init; }

    /// <summary>Where the job is in its life.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker last started it.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The request with every default and seed filled in.</summary>
    public required JobRequest Request { get; init; }

    /// <summary>Epochs done so far out of all.</summary>
    public required JobProgress Progress { get; init; }

    /// <summary>The mean of the training loss (<c>training.loss</c>; (ŷ − y)²/2 by default) over the dataset after each finished epoch; grows while the job runs.</summary>
    public required IReadOnlyList<double> EpochLosses { get; init; }

    /// <summary>What was learned; null until the job succeeds.</summary>
    public JobResult? Result { get; init; }

    /// <summary>The dataset's first rows (as many as <c>sampleCount</c>). Null in list items (<c>GET /api/jobs</c>) and in event streams; <c>GET /api/jobs/{id}</c> has them.</summary>
    public JobSamples? Samples { get; init; }

    /// <summary>Why the job failed; null otherwise.</summary>
    public JobError? Error { get; init; }

    /// <summary>How many times a worker has started the job (more than 1 after a crash or restart).</summary>
    public int Attempts { get; init; }

    /// <summary>The sweep this job is a grid point of (<c>GET /api/sweeps/{id}</c>); null for a job submitted alone.</summary>
    public string? SweepId { get; init; }
}

/// <summary>Epochs done out of all.</summary>
/// <param name="Epoch">Finished epochs.</param>
/// <param name="Epochs">All epochs of the job.</param>
public sealed record JobProgress(int Epoch, int Epochs);

/// <summary>The learned model, its distance from the truth, and the least-squares optimum.</summary>
public sealed record JobResult
{
    /// <summary>Learned weights.</summary>
    public required IReadOnlyList<float> Weights { get; init; }

    /// <summary>Learned bias.</summary>
    public required float Bias { get; init; }

    /// <summary>True minus learned weights, as the book prints them; null when the truth is not known: a job on a stored dataset (<c>dataset.id</c>), for which <see cref="ClosedFormDistance"/> tells how close SGD came.</summary>
    public IReadOnlyList<float>? WeightError { get; init; }

    /// <summary>True minus learned bias; null when the truth is not known (a job on a stored dataset).</summary>
    public float? BiasError { get; init; }

    /// <summary>The least-squares optimum on the same data; null when the dataset is too large for it or it is not finite (see <see cref="ClosedFormNote"/>).</summary>
    public ClosedFormResult? ClosedForm { get; init; }

    /// <summary>Why <see cref="ClosedForm"/> is null, in words; null when it is there.</summary>
    public string? ClosedFormNote { get; init; }

    /// <summary>How far the learned model is from <see cref="ClosedForm"/> (on any dataset, synthetic or stored); null when there is no closed form.</summary>
    public ClosedFormDistance? ClosedFormDistance { get; init; }

    /// <summary>Phase durations.</summary>
    public required JobTimings Timings { get; init; }

    /// <summary>Mean (ŷ − y)²/2 over the whole (perturbed) dataset with the learned weights and bias, whatever the loss trained on: comparable across losses and with <c>closedForm.loss</c>.</summary>
    public double FinalSquaredLoss { get; init; }

    /// <summary>Epochs trained: <c>training.epochs</c>, or fewer when early stopping ended training.</summary>
    public int EpochsRun { get; init; }

    /// <summary>Early stopping (<c>training.tolerance</c>) ended training before the last epoch.</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>The least-squares optimum, whatever loss training minimized.</summary>
/// <param name="Weights">Optimal weights.</param>
/// <param name="Bias">Optimal bias.</param>
/// <param name="Loss">Mean (ŷ − y)²/2 at the optimum: the lowest squared loss SGD could reach.</param>
public sealed record ClosedFormResult(IReadOnlyList<float> Weights, float Bias, double Loss)
{
    /// <summary>The objective the closed form minimizes: always <c>leastSquares</c>, so a run with another loss compares against the right thing.</summary>
    public string Objective { get; init; } = LeastSquaresObjective;

    /// <summary>The value of <see cref="Objective"/>.</summary>
    public const string LeastSquaresObjective = "leastSquares";
}

/// <summary>How far SGD's model is from the least-squares optimum on the same rows.</summary>
/// <param name="Weights">‖ŵ − w*‖₂: the Euclidean distance between the learned and the optimal weights.</param>
/// <param name="Bias">|b̂ − b*|.</param>
/// <param name="Loss"><c>finalSquaredLoss − closedForm.loss</c>: how much higher the learned model's mean (ŷ − y)²/2 is (≥ 0 up to rounding).</param>
public sealed record ClosedFormDistance(float Weights, float Bias, double Loss);

/// <summary>How long each phase took, in milliseconds.</summary>
/// <param name="GenerateMs">Generating the dataset, or, for a job on a stored dataset (<c>dataset.id</c>), loading its rows from the store.</param>
/// <param name="TrainMs">Training.</param>
/// <param name="ClosedFormMs">Computing the closed form.</param>
public sealed record JobTimings(double GenerateMs, double TrainMs, double ClosedFormMs);

/// <summary>Rows of the dataset.</summary>
/// <param name="Features">One array of features per row.</param>
/// <param name="Labels">One label per row.</param>
public sealed record JobSamples(IReadOnlyList<IReadOnlyList<float>> Features, IReadOnlyList<float> Labels);

/// <summary>Why a job failed.</summary>
/// <param name="Message">A readable reason, e.g. "Training diverged at epoch 2…" or "max runtime exceeded".</param>
public sealed record JobError(string Message);

/// <summary>A page of jobs, newest first.</summary>
/// <param name="Items">The jobs.</param>
/// <param name="Next">Cursor of the next page, or null on the last page.</param>
public sealed record JobList(IReadOnlyList<Job> Items, string? Next);

/// <summary>Rows regenerated from a job's seed.</summary>
/// <param name="Offset">Index of the first row.</param>
/// <param name="Features">One array of features per row.</param>
/// <param name="Labels">One label per row.</param>
public sealed record SamplesPage(int Offset, IReadOnlyList<IReadOnlyList<float>> Features, IReadOnlyList<float> Labels);
