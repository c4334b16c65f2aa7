using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>
/// One SGD epoch (shuffle, every minibatch step and the loss that is computed in it, with the
/// next epoch's scatter working ahead on the other core as in the middle of a job) and one
/// full-dataset loss pass, warm, on the sizes the targets name.
/// </summary>
public class EpochBenchmarks : IDisposable
{
    private EpochRunner<VectorStepKernel, SquaredLoss>? _runner;
    private PackedDataset? _packed;
    private int _epoch;

    /// <summary>examples × features, batch size.</summary>
    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = Shape.All[0];

    public static IEnumerable<Shape> Shapes => Shape.All;

    [GlobalSetup]
    public void Setup()
    {
        var spec = new DatasetSpec([.. Enumerable.Range(0, Size.Features).Select(i => (float)Math.Sin(i))], 1f, Size.Examples, 0.01f, 1f, 3);
        Dataset data = DatasetGenerator.Generate(spec);
        // Epochs without end, so every measured epoch works ahead as the middle epochs of a job do.
        var options = new TrainingOptions { Seed = 5, BatchSize = Size.BatchSize, LearningRate = 0.03f, Epochs = int.MaxValue };
        _packed = PackedDataset.From(data, EpochRunner<VectorStepKernel, SquaredLoss>.BucketBitsFor(data.Examples, data.FeatureCount, options));
        _runner = new EpochRunner<VectorStepKernel, SquaredLoss>(_packed, options, default);
        // The first touch of the arena's spare blocks happens here, not in the measurement.
        _runner.RunEpoch(_epoch++, _ => { });
        _runner.RunEpoch(_epoch++, _ => { });
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runner?.Dispose();
        _packed?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public double Epoch()
    {
        double loss = 0;
        _runner!.RunEpoch(_epoch++, known => loss = known.Loss);
        return loss;
    }

    [Benchmark]
    public double LossPass() => _runner!.CurrentLoss();
}

/// <summary>A benchmark shape; its text is what the results table shows.</summary>
public sealed record Shape(int Examples, int Features, int BatchSize)
{
    public static readonly Shape[] All =
    [
        new(1000, 2, 10),
        new(1_000_000, 16, 256),
        new(200_000, 256, 128),
        new(10_000_000, 16, 1024),
    ];

    public override string ToString() => $"{Examples}x{Features} b{BatchSize}";
}
