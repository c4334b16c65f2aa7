using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>
/// One minibatch step of the book's run (2 features, batch 10, rows in cache) for each loss: the
/// squared loss must stay as fast as the step before losses were a choice (<see cref="StepBenchmarks"/>,
/// Features = 2, measures the same), absolute and Huber within 1.5× of it, all at 0 B.
/// </summary>
public class LossStepBenchmarks
{
    private const int Batch = 10;
    private float[] _packed = [];
    private int[] _order = [];
    private MinibatchStepper<VectorStepKernel, SquaredLoss>? _squared;
    private MinibatchStepper<VectorStepKernel, AbsoluteLoss>? _absolute;
    private MinibatchStepper<VectorStepKernel, HuberLoss>? _huber;

    [GlobalSetup]
    public void Setup()
    {
        // The book's data with noise 1, so residuals keep both signs and Huber's δ = 1 splits them.
        _packed = PackedRows.Pack(DatasetGenerator.Generate(DatasetSpec.Book(11) with { Examples = Batch, NoiseStd = 1f }));
        _order = [.. Enumerable.Range(0, Batch)];
        _squared = new(new float[2], 0f, Batch, 0.03f);
        _absolute = new(new float[2], 0f, Batch, 0.03f);
        _huber = new(new float[2], 0f, Batch, 0.03f, huberDelta: 1f);
    }

    [Benchmark(Baseline = true)]
    public float Squared()
    {
        _squared!.Feed(ref _packed[0], _order, 0);
        return _squared.Bias;
    }

    [Benchmark]
    public float Absolute()
    {
        _absolute!.Feed(ref _packed[0], _order, 0);
        return _absolute.Bias;
    }

    [Benchmark]
    public float Huber()
    {
        _huber!.Feed(ref _packed[0], _order, 0);
        return _huber.Bias;
    }
}
