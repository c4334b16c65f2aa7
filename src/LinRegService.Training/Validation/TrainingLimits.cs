using System.ComponentModel.DataAnnotations;

namespace LinRegService.Training.Validation;

/// <summary>
/// Size limits of one run. The defaults suit a 2-core, 24 GiB machine: the largest dataset is
/// 1 GiB of float32 features, and training adds two packed copies of about the same size for
/// the shuffle (one being trained on, one being filled for the next epoch).
/// </summary>
public sealed record TrainingLimits
{
    /// <summary>Most features (weights) a dataset may have.</summary>
    [Range(1, 1 << 20)]
    public int MaxFeatures { get; init; } = 4096;

    /// <summary>Most rows a dataset may have.</summary>
    [Range(1, int.MaxValue)]
    public int MaxExamples { get; init; } = 50_000_000;

    /// <summary>Most feature values (examples × features) a dataset may have.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxValues { get; init; } = 1L << 28;

    /// <summary>Most epochs a run may ask for.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEpochs { get; init; } = 10_000;

    /// <summary>The closed form is computed only up to this many features (its matrix grows with the square).</summary>
    [Range(0, 1 << 16)]
    public int MaxClosedFormFeatures { get; init; } = 1024;

    /// <summary>The closed form is computed only while examples × (features + 1)² stays within this many multiply-adds.</summary>
    [Range(0L, long.MaxValue)]
    public long MaxClosedFormWork { get; init; } = 1L << 34;
}
