namespace LinRegService.Training.Data;

/// <summary>
/// Per-column standardization of a dataset's features: x_std = (x − μ) / σ, with μ and σ (the
/// population standard deviation) computed once over the training rows, in double. A model
/// learned on the standardized features is the same model in the original units with
/// w = w_std / σ and b = b_std − Σ w_std·μ/σ: it predicts the same for every row, so its losses
/// are the same too.
/// </summary>
public sealed class FeatureScaling
{
    private FeatureScaling(double[] means, double[] scales)
    {
        Means = means;
        Scales = scales;
    }

    /// <summary>The mean μ of each feature column.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>The standard deviation σ of each feature column; 1 for a constant column (left unscaled).</summary>
    public IReadOnlyList<double> Scales { get; }

    /// <summary>Means and standard deviations of <paramref name="data"/>'s columns (two passes, in double, for accuracy).</summary>
    public static FeatureScaling Of(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = data.FeatureCount;
        int n = data.Examples;
        double[] means = new double[d];
        double[] scales = new double[d];
        float[] x = data.Features;
        for (int i = 0; i < n; i++)
        {
            int row = i * d;
            for (int j = 0; j < d; j++)
            {
                means[j] += x[row + j];
            }
        }
        for (int j = 0; j < d; j++)
        {
            means[j] = n > 0 ? means[j] / n : 0;
        }
        for (int i = 0; i < n; i++)
        {
            int row = i * d;
            for (int j = 0; j < d; j++)
            {
                double centered = x[row + j] - means[j];
                scales[j] += centered * centered;
            }
        }
        for (int j = 0; j < d; j++)
        {
            double std = n > 0 ? Math.Sqrt(scales[j] / n) : 0;
            // A constant column (σ = 0) has nothing to scale: it is only centered (σ taken as 1),
            // so it becomes all zeros and its weight stays at its start; the bias takes its effect.
            // Likewise a σ that is not a usable float32 divisor.
            scales[j] = std > 0 && double.IsFinite(std) && (float)std > 0 ? std : 1;
        }
        return new FeatureScaling(means, scales);
    }

    /// <summary>A standardized copy of <paramref name="data"/>'s features (float32); the labels are shared, not copied.</summary>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = data.FeatureCount;
        if (d != Means.Count)
        {
            throw new ArgumentException($"The scaling is for {Means.Count} features; the dataset has {d}.", nameof(data));
        }
        float[] x = data.Features;
        float[] scaled = new float[x.Length];
        double[] inverse = [.. Scales.Select(s => 1 / s)];
        for (int i = 0; i < data.Examples; i++)
        {
            int row = i * d;
            for (int j = 0; j < d; j++)
            {
                scaled[row + j] = (float)((x[row + j] - Means[j]) * inverse[j]);
            }
        }
        return new Dataset(scaled, data.Labels, d);
    }

    /// <summary>A model on the standardized features in the original units: w = w_std / σ, b = b_std − Σ w_std·μ/σ.</summary>
    public (float[] Weights, float Bias) ToOriginal(IReadOnlyList<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        float[] original = new float[weights.Count];
        double b = bias;
        for (int j = 0; j < original.Length; j++)
        {
            double w = weights[j] / Scales[j];
            original[j] = (float)w;
            b -= w * Means[j];
        }
        return (original, (float)b);
    }

    /// <summary>A model in the original units on the standardized features (a warm start): w_std = w·σ, b_std = b + Σ w·μ.</summary>
    public (float[] Weights, float Bias) ToStandardized(IReadOnlyList<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        float[] scaled = new float[weights.Count];
        double b = bias;
        for (int j = 0; j < scaled.Length; j++)
        {
            scaled[j] = (float)(weights[j] * Scales[j]);
            b += weights[j] * Means[j];
        }
        return (scaled, (float)b);
    }
}
