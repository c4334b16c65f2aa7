using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>
/// The 16-feature feed over rows in a random order, with no prefetching, on rows that fit in one
/// core's L2 (4,000 rows, 272 KB), in L3 (100,000 rows, 6.8 MB) and only in memory (1,000,000
/// rows, 68 MB): how much of a job's feed (a shuffle bucket at a time, the next one fetched ahead)
/// is arithmetic and how much is waiting for rows. Divide the mean by Rows for a row's cost.
/// </summary>
public class FeedBenchmarks
{
    private const int Features = 16;
    private float[] _packed = [];
    private int[] _order = [];
    private MinibatchStepper<VectorStepKernel, SquaredLoss>? _stepper;

    [Params(4_000, 100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var spec = new DatasetSpec([.. Enumerable.Range(0, Features).Select(i => (float)Math.Sin(i))], 1f, Rows, 0.01f, 1f, 11);
        _packed = PackedRows.Pack(DatasetGenerator.Generate(spec));
        _order = [.. Enumerable.Range(0, Rows)];
        new Random(3).Shuffle(_order);
        _stepper = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[Features], 0f, new TrainingOptions { BatchSize = 1024, LearningRate = 0.01f });
    }

    [Benchmark]
    public float Feed()
    {
        _stepper!.Feed(ref _packed[0], _order, 0);
        return _stepper.Bias;
    }
}
