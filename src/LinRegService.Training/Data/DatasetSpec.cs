namespace LinRegService.Training.Data;

/// <summary>The order of a dataset's rows.</summary>
public enum RowOrder
{
    /// <summary>As generated, chunk by chunk.</summary>
    Generated,

    /// <summary>Stably sorted by label, ascending (after the outliers are applied): the adversarial order for unshuffled SGD.</summary>
    SortedByLabel,
}

/// <summary>
/// The synthetic dataset <c>y = Xw + b + ε</c> with <c>X ~ N(0, featureStd²)</c> and
/// <c>ε ~ N(0, noiseStd²)</c>: a pure function of these values, so it is never stored.
/// </summary>
/// <param name="Weights">The true weights w; their count is the number of features.</param>
/// <param name="Bias">The true bias b.</param>
/// <param name="Examples">Number of rows.</param>
/// <param name="NoiseStd">Standard deviation of the label noise ε (≥ 0).</param>
/// <param name="FeatureStd">Standard deviation of every feature (&gt; 0).</param>
/// <param name="Seed">Seed of all the dataset's random streams.</param>
public sealed record DatasetSpec(
    IReadOnlyList<float> Weights,
    float Bias,
    int Examples,
    float NoiseStd,
    float FeatureStd,
    long Seed)
{
    /// <summary>The book's run: w = [2, −3.4], b = 4.2, 1000 examples, noise 0.01, featureStd 1.</summary>
    public static DatasetSpec Book(long seed) => new([2f, -3.4f], 4.2f, 1000, 0.01f, 1f, seed);

    /// <summary>Number of features (the length of <see cref="Weights"/>).</summary>
    public int Features => Weights.Count;

    /// <summary>Labels changed on purpose after generation; null changes none.</summary>
    public DatasetOutliers? Outliers { get; init; }

    /// <summary>The order of the rows, applied after the outliers.</summary>
    public RowOrder Order { get; init; } = RowOrder.Generated;
}
