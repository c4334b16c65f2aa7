using LinRegService.Training.ClosedForm;

namespace LinRegService.Training.Runs;

/// <summary>How long each phase of a run took, in milliseconds.</summary>
public sealed record RunTimings(double GenerateMs, double TrainMs, double ClosedFormMs);

/// <summary>Everything a finished run reports.</summary>
/// <param name="Weights">Learned weights.</param>
/// <param name="Bias">Learned bias.</param>
/// <param name="EpochLosses">The mean of the loss trained on over the dataset after each epoch run ((ŷ − y)²/2 by default).</param>
/// <param name="WeightError">True minus learned weights, as the book prints them.</param>
/// <param name="BiasError">True minus learned bias.</param>
/// <param name="ClosedForm">The least-squares optimum, or null where it was too large to compute.</param>
/// <param name="Timings">Phase durations.</param>
public sealed record RunResult(
    float[] Weights,
    float Bias,
    double[] EpochLosses,
    float[] WeightError,
    float BiasError,
    ClosedFormSolution? ClosedForm,
    RunTimings Timings)
{
    /// <summary>Why <see cref="ClosedForm"/> is null (too large to compute, or not finite); null when it is there.</summary>
    public string? ClosedFormNote { get; init; }

    /// <summary>Mean (ŷ − y)²/2 over the (perturbed) dataset with the learned parameters, whatever the loss.</summary>
    public double FinalSquaredLoss { get; init; }

    /// <summary>Epochs trained (fewer than asked when early stopping ended training).</summary>
    public int EpochsRun => EpochLosses.Length;

    /// <summary>Early stopping ended training before the last epoch asked for.</summary>
    public bool StoppedEarly { get; init; }
}
