using LinRegService.Training.Data;

namespace LinRegService.Training.Tests.Data;

/// <summary>
/// The generated data follow the spec's distribution: X ~ N(0, featureStd²) and y − Xw − b ~ N(0, noiseStd²).
/// Every bound is 5 standard errors of the estimate for the sample size (a false alarm about once
/// in 1.7 million runs for a correct generator, and the data are deterministic anyway):
/// SE(mean) = σ/√N, SE(std) ≈ σ/√(2N), SE(correlation) ≈ 1/√N.
/// </summary>
public class GeneratedDataStatisticsTests
{
    private const double StandardErrors = 5;

    public static TheoryData<float, float, long> Specs() => new()
    {
        // (featureStd, noiseStd, seed)
        { 1f, 0.01f, 1 },
        { 0.1f, 0.5f, 2 },
        { 3f, 2f, 3 },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Features_have_mean_zero_and_the_requested_std(float featureStd, float noiseStd, long seed)
    {
        Dataset data = DatasetGenerator.Generate(Spec(featureStd, noiseStd, seed));
        int n = data.Features.Length;

        (double mean, double std) = MeanAndStd(data.Features.Select(v => (double)v));

        Assert.InRange(mean, -StandardErrors * featureStd / Math.Sqrt(n), StandardErrors * featureStd / Math.Sqrt(n));
        Assert.InRange(std, featureStd - (StandardErrors * featureStd / Math.Sqrt(2.0 * n)), featureStd + (StandardErrors * featureStd / Math.Sqrt(2.0 * n)));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_feature_column_has_the_requested_std(float featureStd, float noiseStd, long seed)
    {
        Dataset data = DatasetGenerator.Generate(Spec(featureStd, noiseStd, seed));
        int n = data.Examples;
        double bound = StandardErrors * featureStd / Math.Sqrt(2.0 * n);

        for (int j = 0; j < data.FeatureCount; j++)
        {
            (_, double std) = MeanAndStd(Enumerable.Range(0, n).Select(i => (double)data.Features[(i * data.FeatureCount) + j]));
            Assert.InRange(std, featureStd - bound, featureStd + bound);
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Residuals_have_mean_zero_and_the_noise_std(float featureStd, float noiseStd, long seed)
    {
        DatasetSpec spec = Spec(featureStd, noiseStd, seed);
        Dataset data = DatasetGenerator.Generate(spec);
        int n = data.Examples;

        // Residuals in float64; the labels' own float32 rounding (≤ half an ulp of |y|, ~1e-6 here)
        // adds a variance far below noiseStd²'s standard error.
        (double mean, double std) = MeanAndStd(Enumerable.Range(0, n).Select(i => Residual(spec, data, i)));

        Assert.InRange(mean, -StandardErrors * noiseStd / Math.Sqrt(n), StandardErrors * noiseStd / Math.Sqrt(n));
        Assert.InRange(std, noiseStd - (StandardErrors * noiseStd / Math.Sqrt(2.0 * n)), noiseStd + (StandardErrors * noiseStd / Math.Sqrt(2.0 * n)));
    }

    [Fact]
    public void Noise_is_uncorrelated_with_the_features_and_neighbouring_features_with_each_other()
    {
        // Box–Muller pairs (cos, sin) share a radius and the noise is drawn from the feature stream
        // after the features: both must still come out uncorrelated.
        DatasetSpec spec = Spec(1f, 0.5f, 4);
        Dataset data = DatasetGenerator.Generate(spec);
        int n = data.Examples;
        double bound = StandardErrors / Math.Sqrt(n);
        double[] noise = Enumerable.Range(0, n).Select(i => Residual(spec, data, i)).ToArray();

        for (int j = 0; j < data.FeatureCount; j++)
        {
            double[] column = Enumerable.Range(0, n).Select(i => (double)data.Features[(i * data.FeatureCount) + j]).ToArray();
            Assert.InRange(Correlation(column, noise), -bound, bound);
        }
        double[] flat = data.Features.Select(v => (double)v).ToArray();
        Assert.InRange(Correlation(flat[..^1], flat[1..]), -bound, bound);
        Assert.InRange(Correlation(flat[..^8], flat[8..]), -bound, bound); // a cosine and the sine of the same radius
        double[] squares = flat.Select(v => v * v).ToArray();
        Assert.InRange(Correlation(squares[..^8], squares[8..]), -bound, bound); // a shared radius would correlate the squares
    }

    [Fact]
    public void Zero_noise_gives_labels_exactly_on_the_plane_up_to_float_rounding()
    {
        DatasetSpec spec = Spec(1f, 0f, 5) with { Examples = 10_000 };
        Dataset data = DatasetGenerator.Generate(spec);

        // A label is four fused multiply-adds, a bias add and the noise add in float32: six roundings,
        // each at most 2⁻²⁴ of a partial sum bounded by |b| + Σ|xⱼwⱼ|. 1e-6 (≈ 17·2⁻²⁴) of that bound
        // covers them; a missing term or a wrong weight would be off by whole units.
        for (int i = 0; i < data.Examples; i++)
        {
            double magnitude = Math.Abs(spec.Bias);
            for (int j = 0; j < data.FeatureCount; j++)
            {
                magnitude += Math.Abs(data.Row(i)[j] * spec.Weights[j]);
            }
            Assert.InRange(Residual(spec, data, i), -1e-6 * magnitude, 1e-6 * magnitude);
        }
    }

    /// <summary>100 000 rows × 4 features: 400 000 feature values, fast to generate and to sum.</summary>
    private static DatasetSpec Spec(float featureStd, float noiseStd, long seed) =>
        new([2f, -3.4f, 0.5f, 1f], 4.2f, 100_000, noiseStd, featureStd, seed);

    private static double Residual(DatasetSpec spec, Dataset data, int row)
    {
        double prediction = spec.Bias;
        ReadOnlySpan<float> x = data.Row(row);
        for (int j = 0; j < x.Length; j++)
        {
            prediction += (double)x[j] * spec.Weights[j];
        }
        return data.Labels[row] - prediction;
    }

    private static (double Mean, double Std) MeanAndStd(IEnumerable<double> values)
    {
        double[] array = values.ToArray();
        double mean = array.Average();
        double variance = array.Sum(v => (v - mean) * (v - mean)) / (array.Length - 1);
        return (mean, Math.Sqrt(variance));
    }

    private static double Correlation(double[] a, double[] b)
    {
        (double meanA, double stdA) = MeanAndStd(a);
        (double meanB, double stdB) = MeanAndStd(b);
        double covariance = a.Zip(b, (x, y) => (x - meanA) * (y - meanB)).Sum() / (a.Length - 1);
        return covariance / (stdA * stdB);
    }
}
