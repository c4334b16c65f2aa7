using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>One minibatch step (forward, backward, update) on rows already in cache: its time and, through the memory diagnoser, its allocations (must be 0 B).</summary>
public class StepBenchmarks
{
    private float[] _packed = [];
    private int[] _order = [];
    private MinibatchStepper<VectorStepKernel, SquaredLoss>? _stepper;

    [Params(2, 16, 256, 1024)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int batch = Features <= 16 ? 10 : 128;
        // Real rows from the generator and a learning rate that converges: diverging weights would
        // measure arithmetic on infinities instead of a step.
        var spec = new DatasetSpec([.. Enumerable.Range(0, Features).Select(i => (float)Math.Sin(i))], 1f, batch, 0.01f, 1f, 11);
        _packed = PackedRows.Pack(DatasetGenerator.Generate(spec));
        _order = [.. Enumerable.Range(0, batch)];
        _stepper = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[Features], 0f, batch, 0.5f / Features);
    }

    [Benchmark]
    public float Step()
    {
        _stepper!.Feed(ref _packed[0], _order, 0);
        return _stepper.Bias;
    }
}
