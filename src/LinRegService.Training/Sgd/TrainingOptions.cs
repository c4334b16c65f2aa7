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
}
