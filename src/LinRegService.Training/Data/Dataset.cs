namespace LinRegService.Training.Data;

/// <summary>Generated rows: float32 features in row-major order and one label per row.</summary>
public sealed class Dataset
{
    /// <summary>Wraps existing arrays; <paramref name="features"/> holds examples × featureCount values.</summary>
    public Dataset(float[] features, float[] labels, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if ((long)labels.Length * featureCount != features.Length)
        {
            throw new ArgumentException("features must hold labels.Length × featureCount values.", nameof(features));
        }
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>Row-major features: row i is <c>Features[i*FeatureCount .. (i+1)*FeatureCount)</c>.</summary>
    public float[] Features { get; }

    /// <summary>Labels, one per row.</summary>
    public float[] Labels { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of rows.</summary>
    public int Examples => Labels.Length;

    /// <summary>What a dataset of this size holds: the float32 features and labels.</summary>
    public static long BytesFor(long examples, int features) => examples * (features + 1L) * sizeof(float);

    /// <summary>The features of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);
}
