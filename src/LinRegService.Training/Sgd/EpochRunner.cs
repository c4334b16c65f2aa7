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
    private int[] _order;

    public EpochRunner(Dataset data, TrainingOptions options, CancellationToken cancellationToken)
    {
        _data = data;
        _options = options;
        _cancellationToken = cancellationToken;
        _rowsPerCheck = Math.Max(1, WorkPerCheck / (data.FeatureCount + 1));
        Stepper = new MinibatchStepper<TKernel>(
            SgdTrainer.InitialWeights(data.FeatureCount, options), options.InitialBias, options.BatchSize, options.LearningRate);

        int bucketBits = BucketShuffle.BucketBitsFor(
            data.Examples, data.FeatureCount, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes, SgdTrainer.MaxBucketBits);
        if (bucketBits == 0)
        {
            _packed = Pack(data);
            _order = new int[data.Examples];
        }
        else
        {
            _buckets = new BucketShuffle(data, bucketBits, options.MaxDegreeOfParallelism);
            _order = [];
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

    private void FeedBuckets(int epoch)
    {
        var rng = new ScalarRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch));
        for (int bucket = 0; bucket < _buckets!.BucketCount; bucket++)
        {
            int size = _buckets.BucketSize(bucket);
            if (_order.Length < size)
            {
                _order = new int[size + (size / 4)];
            }
            Span<int> order = _order.AsSpan(0, size);
            _buckets.WarmBucket(bucket);
            rng.Permutation(order);
            Feed(ref _buckets.Packed.First, order, _buckets.BucketStart(bucket), epoch);
        }
    }

    /// <summary>Feeds rows in slices, looking at the token and for divergence between slices.</summary>
    private void Feed(ref float packed, ReadOnlySpan<int> order, long baseRow, int epoch)
    {
        for (int start = 0; start < order.Length; start += _rowsPerCheck)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Stepper.Feed(ref packed, order.Slice(start, Math.Min(_rowsPerCheck, order.Length - start)), baseRow);
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

    /// <summary>Rows with their label last (stride features + 1), the layout every step reads.</summary>
    private static float[] Pack(Dataset data)
    {
        int d = data.FeatureCount;
        float[] packed = new float[data.Examples * (d + 1)];
        for (int i = 0; i < data.Examples; i++)
        {
            data.Row(i).CopyTo(packed.AsSpan(i * (d + 1), d));
            packed[(i * (d + 1)) + d] = data.Labels[i];
        }
        return packed;
    }

    public void Dispose() => _buckets?.Dispose();
}
