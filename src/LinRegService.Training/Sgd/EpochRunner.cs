using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// Runs one epoch at a time over a dataset, with the shuffle chosen by size: data that fit in
/// cache are packed once and visited in a plain Fisher–Yates order; larger data are scattered
/// into buckets every epoch (<see cref="BucketShuffle"/>), and the previous epoch's loss is
/// summed on the scatter's read pass instead of in a pass of its own.
/// </summary>
internal sealed class EpochRunner<TKernel> : IDisposable
    where TKernel : IStepKernel
{
    /// <summary>About this many multiply-adds run between two looks at the cancellation token (well under 10 ms).</summary>
    private const int WorkPerCheck = 1 << 18;

    private readonly Dataset _data;
    private readonly TrainingOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly int _rowsPerCheck;
    private readonly BucketShuffle? _buckets;
    private readonly float[]? _packed;
    private readonly int[] _order;

    public EpochRunner(Dataset data, TrainingOptions options, CancellationToken cancellationToken)
    {
        _data = data;
        _options = options;
        _cancellationToken = cancellationToken;
        _rowsPerCheck = Math.Max(1, WorkPerCheck / (data.FeatureCount + 1));
        _order = new int[data.Examples];
        Stepper = new MinibatchStepper<TKernel>(
            SgdTrainer.InitialWeights(data.FeatureCount, options), options.InitialBias, options.BatchSize, options.LearningRate);

        int bucketBits = BucketShuffle.BucketBitsFor(
            data.Examples, data.FeatureCount, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes, SgdTrainer.MaxBucketBits);
        if (bucketBits == 0)
        {
            _packed = PackedRows.Pack(data);
        }
        else
        {
            _buckets = new BucketShuffle(data, bucketBits, options.MaxDegreeOfParallelism);
        }
    }

    public MinibatchStepper<TKernel> Stepper { get; }

    /// <summary>Whether each epoch's loss is only known during the next epoch (and the last one by <see cref="CurrentLoss"/>).</summary>
    public bool LossLagsOneEpoch => _buckets is not null;

    /// <summary>
    /// Runs epoch <paramref name="epoch"/> (from 0) and returns the loss that became known during
    /// it: its own, or with buckets the previous epoch's (none in the first epoch).
    /// </summary>
    public EpochLoss? RunEpoch(int epoch)
    {
        EpochLoss? known;
        if (_buckets is null)
        {
            new ScalarRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch)).Permutation(_order);
            Feed(ref MemoryMarshal.GetArrayDataReference(_packed!), _order, 0, epoch);
            FinishEpoch(epoch);
            known = new EpochLoss(epoch + 1, CurrentLoss());
        }
        else
        {
            float[]? lossWeights = epoch > 0 ? Stepper.Weights : null;
            double sumOfSquares = _buckets.Scatter<TKernel>(_options.Seed, epoch, lossWeights, Stepper.Bias, _cancellationToken);
            known = epoch > 0 ? new EpochLoss(epoch, sumOfSquares / (2.0 * _data.Examples)) : null;
            FeedBuckets(epoch);
            FinishEpoch(epoch);
        }
        return known;
    }

    /// <summary>The mean loss over the whole dataset with the current parameters.</summary>
    public double CurrentLoss() =>
        LossPass.Mean<TKernel>(_data, Stepper.Weights, Stepper.Bias, _options.MaxDegreeOfParallelism, _cancellationToken);

    /// <summary>
    /// Shuffles every bucket on all cores (each from its own stream), then trains bucket after
    /// bucket while the next one is prefetched into cache.
    /// </summary>
    private void FeedBuckets(int epoch)
    {
        BucketShuffle buckets = _buckets!;
        int[] order = _order;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = _cancellationToken };
        Parallel.For(0, buckets.BucketCount, options, bucket =>
            new ScalarRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch, bucket))
                .Permutation(order.AsSpan(buckets.BucketStart(bucket), buckets.BucketSize(bucket))));

        int stride = _data.FeatureCount + 1;
        ref float packed = ref buckets.Packed.First;
        for (int bucket = 0; bucket < buckets.BucketCount; bucket++)
        {
            int start = buckets.BucketStart(bucket);
            int size = buckets.BucketSize(bucket);
            int nextStart = start + size;
            long nextRows = bucket + 1 < buckets.BucketCount ? buckets.BucketSize(bucket + 1) : 0;
            var prefetch = new PrefetchCursor(ref Unsafe.Add(ref packed, (nint)nextStart * stride), nextRows * stride * sizeof(float), size);
            Feed(ref packed, order.AsSpan(start, size), start, epoch, ref prefetch);
        }
    }

    /// <summary>Feeds rows in slices, looking at the token and for divergence between slices.</summary>
    private void Feed(ref float packed, ReadOnlySpan<int> order, long baseRow, int epoch)
    {
        PrefetchCursor none = default;
        Feed(ref packed, order, baseRow, epoch, ref none);
    }

    private void Feed(ref float packed, ReadOnlySpan<int> order, long baseRow, int epoch, ref PrefetchCursor prefetch)
    {
        for (int start = 0; start < order.Length; start += _rowsPerCheck)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Stepper.Feed(ref packed, order.Slice(start, Math.Min(_rowsPerCheck, order.Length - start)), baseRow, ref prefetch);
            if (!Stepper.IsFinite)
            {
                throw new TrainingDivergedException(epoch + 1);
            }
        }
    }

    private void FinishEpoch(int epoch)
    {
        Stepper.FinishEpoch();
        if (!Stepper.IsFinite || Array.Exists(Stepper.Weights, w => !float.IsFinite(w)))
        {
            throw new TrainingDivergedException(epoch + 1);
        }
    }

    public void Dispose() => _buckets?.Dispose();
}
