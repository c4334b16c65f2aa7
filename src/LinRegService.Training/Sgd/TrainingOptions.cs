namespace LinRegService.Training.Sgd;

/// <summary>Which implementation of the per-row step runs.</summary>
public enum KernelKind
{
    /// <summary>Vector kernels where 256-bit vectors are accelerated, the scalar reference elsewhere.</summary>
    Auto,

    /// <summary>The plain scalar reference.</summary>
    Scalar,

    /// <summary>The Vector256 kernels.</summary>
    Vector,
}

/// <summary>The per-row loss SGD minimizes.</summary>
public enum LossKind
{
    /// <summary>(ŷ − y)²/2, the book's.</summary>
    Squared,

    /// <summary>|ŷ − y|: robust to outlying labels.</summary>
    Absolute,

    /// <summary>Squared within ±<see cref="TrainingOptions.HuberDelta"/>, absolute (linear) beyond.</summary>
    Huber,
}

/// <summary>How the learning rate changes during training, as scikit-learn's SGDRegressor offers.</summary>
public enum ScheduleKind
{
    /// <summary>The learning rate throughout.</summary>
    Constant,

    /// <summary>lr / t^<see cref="TrainingOptions.DecayPower"/>, t the 1-based count of updates (minibatch steps).</summary>
    InvScaling,

    /// <summary>lr × <see cref="TrainingOptions.DecayFactor"/> every <see cref="TrainingOptions.DecayEvery"/> epochs.</summary>
    Step,
}

/// <summary>Hyperparameters of minibatch SGD, as in the book: lr 0.03, batch 10, 3 epochs, init N(0, 0.01²).</summary>
public sealed record TrainingOptions
{
    /// <summary>Step size lr in θ ← θ − lr·∇/|B|.</summary>
    public float LearningRate { get; init; } = 0.03f;

    /// <summary>Examples per minibatch; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Passes over the data.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Standard deviation of the initial weights (ignored on a warm start).</summary>
    public float InitStd { get; init; } = 0.01f;

    /// <summary>Seed of the initial weights and of every epoch's shuffle.</summary>
    public long Seed { get; init; }

    /// <summary>Warm start: begin from these weights instead of random ones.</summary>
    public IReadOnlyList<float>? InitialWeights { get; init; }

    /// <summary>Warm start: begin from this bias (0 otherwise, as in the book).</summary>
    public float InitialBias { get; init; }

    /// <summary>Scalar reference or vector kernels.</summary>
    public KernelKind Kernel { get; init; } = KernelKind.Auto;

    /// <summary>Threads for the parallel passes (shuffle scatter, loss); -1 for all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The loss minimized; every epoch loss is its mean over the dataset.</summary>
    public LossKind Loss { get; init; } = LossKind.Squared;

    /// <summary>Huber's δ (&gt; 0): where the loss turns from squared to linear. Ignored by the other losses.</summary>
    public float HuberDelta { get; init; } = 1f;

    /// <summary>A fresh random order every epoch (the book); false feeds minibatches in dataset order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>How the learning rate decays.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>InvScaling's power (≥ 0), scikit-learn's power_t.</summary>
    public float DecayPower { get; init; } = 0.25f;

    /// <summary>Step's period in epochs (≥ 1).</summary>
    public int DecayEvery { get; init; } = 1;

    /// <summary>Step's factor, in (0, 1].</summary>
    public float DecayFactor { get; init; } = 0.5f;

    /// <summary>
    /// Early stopping: an epoch whose loss is not below the best so far minus this (≥ 0) counts as
    /// no improvement; null trains every epoch.
    /// </summary>
    public double? Tolerance { get; init; }

    /// <summary>Early stopping: stop after this many epochs in a row without improvement (≥ 1).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>
    /// Train on standardized features (each column mean 0, variance 1 over the training rows; a
    /// constant column is left unscaled) and report the weights and bias in the original units:
    /// columns of very different scales then train with one learning rate. Losses are the same
    /// in either units.
    /// </summary>
    public bool Standardize { get; init; }
}
