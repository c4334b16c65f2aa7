using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;

namespace LinRegService.Benchmarks;

/// <summary>
/// Nanoseconds per generated value of the whole dataset generator (features, noise and labels,
/// allocation included) on one thread and on all cores.
/// </summary>
public class GenerationBenchmarks
{
    private const int Examples = 1_000_000;
    private const int Features = 16;
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
}
