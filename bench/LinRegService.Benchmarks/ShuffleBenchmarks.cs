using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>
/// The profile of a large epoch: the bucketed scatter alone (with the loss riding on its read;
/// each call scatters the last call's order, freeing its blocks as it goes, as in a job),
/// and the memory floor it is measured against, a plain copy of the same rows (one sequential
/// read and one sequential write of X, as <c>Span.CopyTo</c> does it).
/// </summary>
public class ShuffleBenchmarks : IDisposable
{
    private Dataset? _data;
    private PackedDataset? _packed;
    private BucketShuffle? _shuffle;
    private float[] _copy = [];
    private float[] _weights = [];
    private int _epoch;

    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = Shape.All[1];

    public static IEnumerable<Shape> Shapes => [Shape.All[1], Shape.All[3]];

    [GlobalSetup]
    public void Setup()
    {
        var spec = new DatasetSpec([.. Enumerable.Range(0, Size.Features).Select(i => (float)Math.Sin(i))], 1f, Size.Examples, 0.01f, 1f, 3);
        _data = DatasetGenerator.Generate(spec);
        int bits = BucketShuffle.BucketBitsFor(Size.Examples, Size.Features, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes, SgdTrainer.MaxBucketBits);
        _packed = PackedDataset.From(_data, bits);
        _shuffle = new BucketShuffle(_packed, bits, -1);
        _weights = new float[Size.Features];
        _copy = new float[_data.Features.Length];
        _shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, _epoch++, _weights, 0f, default);
        _data.Features.AsSpan().CopyTo(_copy);
    }

    [Benchmark]
    public double ScatterWithLoss() => _shuffle!.Scatter<VectorStepKernel, SquaredLoss>(1, _epoch++, _weights, 0f, default);

    /// <summary>A loss pass over the rows as the scatter left them: blocks in the buckets' order, anywhere in the arena.</summary>
    [Benchmark]
    public double LossOverBlocks() => LossPass.Mean<VectorStepKernel, SquaredLoss>(_packed!, _weights, 0f, 1f, -1, default);

    /// <summary>The same pass over X and y in dataset order: what reading blocks costs beyond it.</summary>
    [Benchmark]
    public double LossInOrder() => LossPass.Mean<VectorStepKernel>(_data!, _weights, 0f, -1, default);

    [Benchmark]
    public float CopyFloor()
    {
        _data!.Features.AsSpan().CopyTo(_copy);
        return _copy[^1];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _packed?.Dispose();
        GC.SuppressFinalize(this);
    }
}
