using BenchmarkDotNet.Attributes;
using LinRegService.Training.Random;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LinRegService.Benchmarks;

/// <summary>
/// Nanoseconds per normal variate, one thread, into a warm buffer: the fused Box–Muller sampler
/// against MathNet.Numerics' Normal.Samples with its fastest random source, the candidate it replaced.
/// </summary>
public class SamplerBenchmarks
{
    private const int SamplerValues = 1 << 20;
    private readonly float[] _floats = new float[SamplerValues];
    private readonly double[] _doubles = new double[SamplerValues];
    private readonly Xoshiro256StarStar _mathNetSource = new(42);

    /// <summary>The fused Box–Muller sampler alone, one thread, into a warm buffer.</summary>
    [Benchmark(OperationsPerInvoke = SamplerValues)]
    public float FusedBoxMuller()
    {
        var rng = new XoshiroLanes(12345);
        GaussianSampler.Fill(ref rng, _floats, 1f);
        return _floats[^1];
    }

    /// <summary>MathNet.Numerics' sampler with its fastest random source, one thread, into a warm buffer.</summary>
    [Benchmark(OperationsPerInvoke = SamplerValues)]
    public double MathNetNormalSamples()
    {
        Normal.Samples(_mathNetSource, _doubles, 0.0, 1.0);
        return _doubles[^1];
    }
}
