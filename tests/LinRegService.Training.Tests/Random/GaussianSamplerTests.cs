using System.Runtime.Intrinsics;
using LinRegService.Training.Random;

namespace LinRegService.Training.Tests.Random;

/// <summary>
/// The Box–Muller sampler's output has the shape of a standard normal, its spans do not depend on
/// what follows them, and its hand-written log and sin/cos polynomials are accurate.
/// </summary>
public class GaussianSamplerTests
{
    /// <summary>2²¹ draws: enough for 5-SE bounds of a few 1e-3, fast to fill.</summary>
    private const int Draws = 1 << 21;

    private static readonly Lazy<float[]> _standardNormals = new(() =>
    {
        float[] values = new float[Draws];
        var rng = new XoshiroLanes(StreamKey.For(2024, StreamKey.Purpose.DataChunk, 0));
        GaussianSampler.Fill(ref rng, values, 1f);
        return values;
    });

    [Theory]
    [InlineData(1.0, 0.682689492137086)]
    [InlineData(2.0, 0.954499736103642)]
    [InlineData(3.0, 0.997300203936740)]
    [InlineData(0.5, 0.382924922548026)]
    public void Fraction_within_k_sigma_matches_the_normal_distribution(double k, double expected)
    {
        // A fraction p of N draws has standard error √(p(1−p)/N); allow 5 of them.
        double fraction = _standardNormals.Value.Count(v => Math.Abs(v) <= k) / (double)Draws;
        double bound = 5 * Math.Sqrt(expected * (1 - expected) / Draws);

        Assert.InRange(fraction, expected - bound, expected + bound);
    }

    [Fact]
    public void Moments_match_the_standard_normal()
    {
        float[] values = _standardNormals.Value;
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => ((double)v - mean) * ((double)v - mean));
        double skewness = values.Average(v => Math.Pow(v - mean, 3)) / Math.Pow(variance, 1.5);
        double kurtosis = values.Average(v => Math.Pow(v - mean, 4)) / (variance * variance);

        // 5 standard errors each: mean 1/√N, variance √(2/N), skewness √(6/N), kurtosis √(24/N).
        Assert.InRange(mean, -5 / Math.Sqrt(Draws), 5 / Math.Sqrt(Draws));
        Assert.InRange(variance, 1 - (5 * Math.Sqrt(2.0 / Draws)), 1 + (5 * Math.Sqrt(2.0 / Draws)));
        Assert.InRange(skewness, -5 * Math.Sqrt(6.0 / Draws), 5 * Math.Sqrt(6.0 / Draws));
        Assert.InRange(kurtosis, 3 - (5 * Math.Sqrt(24.0 / Draws)), 3 + (5 * Math.Sqrt(24.0 / Draws)));
    }

    [Fact]
    public void Values_are_finite_and_bounded_by_the_24_bit_uniforms()
    {
        // u ≥ 2⁻²⁴ bounds the radius by √(−2 ln 2⁻²⁴) ≈ 5.77, and u = 1 (radius 0) is allowed.
        float largest = 0;
        foreach (float v in _standardNormals.Value)
        {
            Assert.True(float.IsFinite(v));
            largest = Math.Max(largest, Math.Abs(v));
        }
        Assert.InRange(largest, 4f, 5.78f); // a 4σ tail (probability 6e-5) must show up in 2 million draws
    }

    [Fact]
    public void Scale_multiplies_every_value()
    {
        float[] unit = new float[37];
        float[] scaled = new float[37];
        var first = new XoshiroLanes(7);
        var second = new XoshiroLanes(7);

        GaussianSampler.Fill(ref first, unit, 1f);
        GaussianSampler.Fill(ref second, scaled, 0.25f);

        // 0.25 is a power of two: scaling the radius by it is exact.
        Assert.Equal(unit.Select(v => v * 0.25f), scaled);
    }

    [Fact]
    public void A_partial_span_is_the_prefix_of_a_longer_one()
    {
        float[] shorter = new float[37];
        float[] longer = new float[64];
        var first = new XoshiroLanes(11);
        var second = new XoshiroLanes(11);

        GaussianSampler.Fill(ref first, shorter, 1f);
        GaussianSampler.Fill(ref second, longer, 1f);

        Assert.Equal(longer[..37], shorter);
    }

    [Fact]
    public void Log_matches_Math_Log_on_0_to_1()
    {
        // Every uniform the sampler can feed it (k/2²⁴, k = 1..2²⁴), plus values spread over all
        // exponents down to 1e-30. Cephes logf is accurate to about 1 ulp; measured worst here is
        // 0.82 ulp, so 2 ulp of the float result catches any wrong coefficient or reduction.
        const int Block = 1 << 12;
        float[] x = new float[Block];
        float[] log = new float[Block];
        double worst = 0;
        for (int first = 1; first <= 1 << 24; first += Block)
        {
            for (int i = 0; i < Block; i++)
            {
                x[i] = (first + i) * (1f / (1 << 24));
            }
            worst = Math.Max(worst, WorstLogUlps(x, log));
        }
        var random = new System.Random(5);
        for (int i = 0; i < Block; i++)
        {
            x[i] = (float)Math.Exp(-random.NextDouble() * 69);
        }
        worst = Math.Max(worst, WorstLogUlps(x, log));

        Assert.InRange(worst, 0, 2);
        Assert.Equal(0f, GaussianSampler.Log(Vector256<float>.One)[0]);
    }

    [Fact]
    public void SinCos_match_Math_Sin_and_Math_Cos_on_the_quarter_turn()
    {
        // Every angle remainder the sampler can produce, k·(π/2)/2²² for k in [−2²¹, 2²¹), plus ±π/4.
        // Cephes sinf/cosf are accurate to about 1 ulp (measured worst: 0.73 and 0.98), so 2 ulp.
        const float Step = (float)(Math.PI / 2 / (1 << 22));
        double worstSin = 0;
        double worstCos = 0;
        for (int k = -(1 << 21); k < 1 << 21; k += 8)
        {
            Vector256<float> x = Vector256.ConvertToSingle(Vector256.Create(k) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)) * Step;
            (double sin, double cos) = WorstSinCosUlps(x);
            worstSin = Math.Max(worstSin, sin);
            worstCos = Math.Max(worstCos, cos);
        }
        (double edgeSin, double edgeCos) = WorstSinCosUlps(Vector256.Create(-MathF.PI / 4, MathF.PI / 4, 0f, 1e-20f, -1e-20f, 0.5f, -0.5f, 0.1f));

        Assert.InRange(Math.Max(worstSin, edgeSin), 0, 2);
        Assert.InRange(Math.Max(worstCos, edgeCos), 0, 2);
    }

    private static double WorstLogUlps(float[] x, float[] log)
    {
        for (int i = 0; i < x.Length; i += 8)
        {
            GaussianSampler.Log(Vector256.Create(x.AsSpan(i, 8))).CopyTo(log.AsSpan(i, 8));
        }
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            worst = Math.Max(worst, UlpError(log[i], Math.Log(x[i])));
        }
        return worst;
    }

    private static (double Sin, double Cos) WorstSinCosUlps(Vector256<float> x)
    {
        GaussianSampler.SinCos(x, out Vector256<float> sin, out Vector256<float> cos);
        double worstSin = 0;
        double worstCos = 0;
        for (int j = 0; j < 8; j++)
        {
            worstSin = Math.Max(worstSin, UlpError(sin[j], Math.Sin(x[j])));
            worstCos = Math.Max(worstCos, UlpError(cos[j], Math.Cos(x[j])));
        }
        return (worstSin, worstCos);
    }

    /// <summary>|actual − exact| in units of the float spacing at the exact value (exact zero: must be exact).</summary>
    private static double UlpError(float actual, double exact)
    {
        if (exact == 0)
        {
            return actual == 0 ? 0 : double.PositiveInfinity;
        }
        float magnitude = MathF.Abs((float)exact);
        double ulp = MathF.BitIncrement(magnitude) - magnitude;
        return Math.Abs(actual - exact) / ulp;
    }
}
