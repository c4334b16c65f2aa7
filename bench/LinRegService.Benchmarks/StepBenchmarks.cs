using BenchmarkDotNet.Attributes;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>One minibatch step (forward, backward, update) on rows already in cache: its time and, through the memory diagnoser, its allocations (must be 0 B).</summary>
public class StepBenchmarks
{
    private float[] _packed = [];
    private int[] _order = [];
    private MinibatchStepper<VectorStepKernel>? _stepper;

    [Params(2, 16, 256, 1024)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int batch = Features <= 16 ? 10 : 128;
        var random = new System.Random(1);
        _packed = [.. Enumerable.Range(0, batch * (Features + 1)).Select(_ => (float)random.NextDouble())];
        _order = [.. Enumerable.Range(0, batch)];
        _stepper = new MinibatchStepper<VectorStepKernel>(new float[Features], 0f, batch, 1e-4f);
    }

    [Benchmark]
    public float Step()
    {
        _stepper!.Feed(ref _packed[0], _order, 0);
        return _stepper.Bias;
    }
}
