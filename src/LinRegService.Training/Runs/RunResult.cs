using LinRegService.Training.ClosedForm;

namespace LinRegService.Training.Runs;

/// <summary>How long each phase of a run took, in milliseconds.</summary>
public sealed record RunTimings(double GenerateMs, double TrainMs, double ClosedFormMs)
{
    /// <summary>The closed form ran between generation and training (on generated rows, before training shuffles its one copy of them).</summary>
    public bool ClosedFormFirst { get; init; }
}

/// <summary>Everything a finished run reports.</summary>
/// <param name="Weights">Learned weights.</param>
/// <param name="Bias">Learned bias.</param>
/// <param name="EpochLosses">The mean of the loss trained on over the dataset after each epoch run ((ŷ − y)²/2 by default).</param>
/// <param name="WeightError">True minus learned weights, as the book prints them; null when the truth is not known (a stored dataset).</param>
/// <param name="BiasError">True minus learned bias; null when the truth is not known.</param>
/// <param name="ClosedForm">The least-squares optimum, or null where it was too large to compute.</param>
/// <param name="Timings">Phase durations.</param>
public sealed record RunResult(
    float[] Weights,
    float Bias,
    double[] EpochLosses,
    float[]? WeightError,
    float? BiasError,
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

    /// <summary>How far SGD's model is from the closed form's; null without a closed form.</summary>
    public OptimumDistance? ClosedFormDistance => ClosedForm is { } optimum ? OptimumDistance.Between(Weights, Bias, FinalSquaredLoss, optimum) : null;
}

/// <summary>How far a learned model is from the least-squares optimum.</summary>
/// <param name="Weights">‖ŵ − w*‖₂, the Euclidean distance of the weights (in double).</param>
/// <param name="Bias">|b̂ − b*|.</param>
/// <param name="Loss">The learned model's mean squared loss (ŷ − y)²/2 minus the optimum's: ≥ 0 up to rounding.</param>
public sealed record OptimumDistance(float Weights, float Bias, double Loss)
{
    /// <summary>The distance of <paramref name="weights"/>, <paramref name="bias"/> (whose squared loss is <paramref name="squaredLoss"/>) from <paramref name="optimum"/>.</summary>
    public static OptimumDistance Between(IReadOnlyList<float> weights, float bias, double squaredLoss, ClosedFormSolution optimum)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(optimum);
        double sum = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            double d = (double)weights[i] - optimum.Weights[i];
            sum += d * d;
        }
        return new OptimumDistance((float)Math.Sqrt(sum), (float)Math.Abs((double)bias - optimum.Bias), squaredLoss - optimum.Loss);
    }
}
