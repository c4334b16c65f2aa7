using LinRegService.Training.Data;
using LinRegService.Training.Random;

namespace LinRegService.Training.Validation;

/// <summary>
/// Refuses a dataset whose generated values could leave the range where float32 arithmetic stays
/// finite. Every feature and label is bounded by <see cref="MaxValue"/>: then any product of two
/// values, summed over every row the limits allow, stays below float32's maximum (3.4e38), so
/// the data, the losses, the gradients of a non-diverging run and the closed form's sums are finite.
/// </summary>
/// <remarks>
/// The bounds are exact, not statistical: the sampler never returns |z| above
/// <see cref="GaussianSampler.MaxAbsolute"/>, so |x| ≤ featureStd·zMax and
/// |y| ≤ zMax·(featureStd·Σ|w| + noiseStd) + |b|.
/// </remarks>
public static class FiniteRangeCheck
{
    /// <summary>The largest magnitude a generated feature or label may reach (1e15: 1e15² × 5e7 rows ≈ 5e37).</summary>
    public const double MaxValue = 1e15;

    internal static void Validate(DatasetSpec dataset, List<ValidationError> errors)
    {
        double zMax = GaussianSampler.MaxAbsolute;
        double feature = zMax * dataset.FeatureStd;
        if (feature > MaxValue)
        {
            errors.Add(new("dataset.featureStd",
                $"featureStd {dataset.FeatureStd:G4} can make features as large as {feature:G3}; at most {MaxValue / zMax:G4} keeps every value within ±{MaxValue:G3}, where float32 sums stay finite."));
            return;
        }
        double weightSum = 0;
        foreach (float w in dataset.Weights)
        {
            weightSum += Math.Abs((double)w);
        }
        double weightsTerm = zMax * dataset.FeatureStd * weightSum;
        double noiseTerm = zMax * dataset.NoiseStd;
        double biasTerm = Math.Abs((double)dataset.Bias);
        double label = weightsTerm + noiseTerm + biasTerm;
        if (label <= MaxValue)
        {
            ValidateOutliers(dataset, label, errors);
            return;
        }
        string message = $"The labels could reach {label:G3} (|b| + 5.77·(featureStd·Σ|w| + noiseStd)); they must stay within ±{MaxValue:G3}, where float32 sums stay finite.";
        // Name every field whose own term is at least a third of the bound: at least one always is.
        const double share = MaxValue / 3;
        if (weightsTerm >= share)
        {
            errors.Add(new("dataset.weights", message));
            errors.Add(new("dataset.featureStd", message));
        }
        if (noiseTerm >= share)
        {
            errors.Add(new("dataset.noiseStd", message));
        }
        if (biasTerm >= share)
        {
            errors.Add(new("dataset.bias", message));
        }
    }

    /// <summary>A shifted label is at most the generated bound plus |shift|; a named row's label is the one given.</summary>
    private static void ValidateOutliers(DatasetSpec dataset, double labelBound, List<ValidationError> errors)
    {
        if (dataset.Outliers is not { } outliers)
        {
            return;
        }
        if (Math.Abs((double)outliers.Label) > MaxValue)
        {
            errors.Add(new("dataset.outliers.label", $"label {outliers.Label:G4} is beyond ±{MaxValue:G3}, where float32 sums stay finite."));
        }
        double shifted = labelBound + Math.Abs((double)outliers.Shift);
        if (outliers.Fraction > 0 && shifted > MaxValue)
        {
            errors.Add(new("dataset.outliers.shift",
                $"shift {outliers.Shift:G4} can make labels as large as {shifted:G3}; they must stay within ±{MaxValue:G3}, where float32 sums stay finite."));
        }
    }
}
