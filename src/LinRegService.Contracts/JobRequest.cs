namespace LinRegService.Contracts;

/// <summary>
/// A training job: which dataset to generate and how to train on it. Every field and section
/// may be left out; what is left out takes the book's run. In a job's <c>request</c> every field
/// is filled in, seeds included, so the job can be rerun exactly.
/// </summary>
public sealed record JobRequest
{
    /// <summary>The synthetic dataset y = Xw + b + ε.</summary>
    public DatasetRequest? Dataset { get; init; }

    /// <summary>Minibatch SGD hyperparameters.</summary>
    public TrainingRequest? Training { get; init; }

    /// <summary>How many of the dataset's first rows to return in the job's <c>samples</c> (0–1000, and sampleCount × features at most 20,000 values by default; default 10, or as many rows as fit that on a wide dataset).</summary>
    public int? SampleCount { get; init; }
}

/// <summary>Dataset parameters; defaults are the book's: w = [2, −3.4], b = 4.2, 1000 examples, noise 0.01, featureStd 1.</summary>
public sealed record DatasetRequest
{
    /// <summary>The true weights w; their count is the number of features.</summary>
    public float[]? Weights { get; init; }

    /// <summary>The true bias b.</summary>
    public float? Bias { get; init; }

    /// <summary>Number of rows.</summary>
    public int? Examples { get; init; }

    /// <summary>Standard deviation of the label noise (≥ 0).</summary>
    public float? NoiseStd { get; init; }

    /// <summary>Standard deviation of every feature (&gt; 0; the book's run uses 1, the seed's printed run 0.1).</summary>
    public float? FeatureStd { get; init; }

    /// <summary>Seed of the dataset; drawn by the server when left out.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// The id of an uploaded dataset (<c>POST /api/datasets</c>) to train on instead of synthetic data; then no
    /// synthetic parameter (weights, bias, examples, noiseStd, featureStd, seed, outliers, order) may be given.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>Outlying labels put into the generated data (before ordering); samples, plots and the closed form see them too. Left out: none.</summary>
    public OutliersRequest? Outliers { get; init; }

    /// <summary>The order of the rows: <c>generated</c> (default) or <c>sortedByLabel</c> (stably by label, ascending, after the outliers: the adversarial order for unshuffled SGD).</summary>
    public DatasetOrder? Order { get; init; }
}

/// <summary>The order of a dataset's rows.</summary>
public enum DatasetOrder
{
    /// <summary>As generated.</summary>
    Generated,

    /// <summary>Stably sorted by label, ascending.</summary>
    SortedByLabel,
}

/// <summary>
/// Outlying labels: named rows get one label, and a seeded fraction of rows gets a shift added
/// (chosen row by row from the dataset's seed). A row both named and shifted keeps the named label.
/// </summary>
public sealed record OutliersRequest
{
    /// <summary>Rows (0-based, in generated order, distinct, below examples; at most 1000) whose label becomes <c>label</c>.</summary>
    public int[]? Rows { get; init; }

    /// <summary>The label the named rows get; required with <c>rows</c>.</summary>
    public float? Label { get; init; }

    /// <summary>Share of rows (0 to 1) whose label is shifted; required with <c>shift</c>.</summary>
    public double? Fraction { get; init; }

    /// <summary>What each shifted row's label gets added; required with <c>fraction</c>.</summary>
    public float? Shift { get; init; }
}

/// <summary>Training hyperparameters; defaults are the book's: lr 0.03, batch 10, 3 epochs, initStd 0.01.</summary>
public sealed record TrainingRequest
{
    /// <summary>Step size (&gt; 0).</summary>
    public float? LearningRate { get; init; }

    /// <summary>Examples per minibatch (1 to examples).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Passes over the data (≥ 1).</summary>
    public int? Epochs { get; init; }

    /// <summary>Standard deviation of the initial weights (≥ 0).</summary>
    public float? InitStd { get; init; }

    /// <summary>Seed of the initial weights and the shuffles; drawn by the server when left out.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// Id of a succeeded job to continue: its dataset (parameters and seed) and its learned
    /// weights and bias as the starting point, as re-running the book's training cell does.
    /// </summary>
    public string? WarmStartFrom { get; init; }

    /// <summary>Longest the job may run, in seconds; capped by the server's setting. Past it the job fails with "max runtime exceeded".</summary>
    public double? MaxRuntimeSeconds { get; init; }

    /// <summary>The per-row loss minimized and reported in <c>epochLosses</c>: <c>squared</c> (ŷ − y)²/2 (default), <c>absolute</c> |ŷ − y|, or <c>huber</c> (squared within ±huberDelta, linear beyond).</summary>
    public TrainingLoss? Loss { get; init; }

    /// <summary>Huber's δ (&gt; 0, default 1): where the loss turns from squared to linear. Only the huber loss uses it.</summary>
    public float? HuberDelta { get; init; }

    /// <summary>A fresh random order every epoch (true, default); false feeds the minibatches in dataset order.</summary>
    public bool? Shuffle { get; init; }

    /// <summary>How the learning rate changes: <c>constant</c> (default), <c>invScaling</c> (learningRate / t^decayPower, t the 1-based update count), or <c>step</c> (× decayFactor every decayEvery epochs).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>invScaling's power (≥ 0, default 0.25), as scikit-learn's power_t.</summary>
    public float? DecayPower { get; init; }

    /// <summary>step's period in epochs (≥ 1, default 1).</summary>
    public int? DecayEvery { get; init; }

    /// <summary>step's factor, in (0, 1] (default 0.5).</summary>
    public float? DecayFactor { get; init; }

    /// <summary>Early stopping (≥ 0): an epoch whose loss is not below the best so far minus this counts as no improvement. Null (default): every epoch runs, and <c>epochs</c> is not a maximum but the count.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Early stopping: stop after this many epochs in a row without improvement (≥ 1, default 5); used when <c>tolerance</c> is set.</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// Train on standardized features (each column mean 0 and variance 1 over the training rows; a constant column is left
    /// unscaled), so columns of very different scales train with one learning rate (default false). The weights and bias are
    /// reported in the original units, and the epoch losses are the same in either.
    /// </summary>
    public bool? Standardize { get; init; }
}

/// <summary>The per-row loss SGD minimizes.</summary>
public enum TrainingLoss
{
    /// <summary>(ŷ − y)²/2, the book's.</summary>
    Squared,

    /// <summary>|ŷ − y|.</summary>
    Absolute,

    /// <summary>Squared within ±huberDelta, linear beyond.</summary>
    Huber,
}

/// <summary>How the learning rate changes during training.</summary>
public enum LearningRateSchedule
{
    /// <summary>learningRate throughout.</summary>
    Constant,

    /// <summary>learningRate / t^decayPower, t the 1-based update (minibatch step) count.</summary>
    InvScaling,

    /// <summary>learningRate × decayFactor every decayEvery epochs.</summary>
    Step,
}
