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
}
