using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Random;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LinRegService.Benchmarks;

/// <summary>
/// Nanoseconds per generated value: the whole dataset generator (features, noise and labels,
/// allocation included) on one thread and on all cores, and the normal sampler alone against
/// MathNet.Numerics' Normal.Samples, the candidate it replaced.
/// </summary>
public class GenerationBenchmarks
{
    private const int Examples = 1_000_000;
    private const int Features = 16;
    private const int SamplerValues = 1 << 20;
    private readonly float[] _floats = new float[SamplerValues];
    private readonly double[] _doubles = new double[SamplerValues];
    private readonly Xoshiro256StarStar _mathNetSource = new(42);
    private DatasetSpec _spec = DatasetSpec.Book(1);

    /// <summary>1 thread, or -1 for all cores.</summary>
    [Params(1, -1)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _spec = new DatasetSpec([.. Enumerable.Range(0, Features).Select(i => (float)Math.Sin(i))], 1f, Examples, 0.01f, 1f, 7);

    /// <summary>One value is a feature or a label: examples × (features + 1) per call.</summary>
    [Benchmark(OperationsPerInvoke = Examples * (Features + 1))]
    public Dataset Dataset1MBy16() => DatasetGenerator.Generate(_spec, Threads);

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
