using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// Runs one epoch at a time over a dataset, with the shuffle chosen by size. Data that fit in
/// cache are packed once and visited in a plain Fisher–Yates order. Larger data are scattered
/// into buckets every epoch (<see cref="BucketShuffle"/>); with two or more cores the scatter for
/// the next epoch runs on another core while this epoch trains (two packed buffers, used in
/// turn), and the loss of the weights the epoch started from rides on that scatter's read pass.
/// Without shuffling, the rows are packed once and fed in dataset order, whatever their size.
/// With early stopping, each epoch's loss is computed right after it (a pass of its own), since
/// the decision to go on cannot wait for the loss that rides on a later scatter.
/// </summary>
internal sealed class EpochRunner<TKernel, TLoss> : IDisposable
    where TKernel : IStepKernel
    where TLoss : ILoss
{
    /// <summary>About this many multiply-adds run between two looks at the cancellation token (well under 10 ms).</summary>
    private const int WorkPerCheck = 1 << 18;

    private readonly Dataset _data;
    private readonly TrainingOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly int _rowsPerCheck;
    private readonly float[]? _packed;
    private readonly BucketShuffle[] _buffers = [];
    private readonly int[] _order;
    private readonly bool _lossAfterEachEpoch;
    private BucketShuffle.SharedScatter? _aheadScatter;
    private Task<double>? _aheadLoss;
    private int _aheadEpoch = -1;

    public EpochRunner(Dataset data, TrainingOptions options, CancellationToken cancellationToken)
    {
        _data = data;
        _options = options;
        _cancellationToken = cancellationToken;
        _rowsPerCheck = Math.Max(1, WorkPerCheck / (data.FeatureCount + 1));
        _order = new int[data.Examples];
        _lossAfterEachEpoch = options.Tolerance is not null;
        Stepper = new MinibatchStepper<TKernel, TLoss>(SgdTrainer.InitialWeights(data.FeatureCount, options), options.InitialBias, options);

        int bucketBits = BucketBitsFor(data.Examples, data.FeatureCount, options);
        if (bucketBits == 0)
        {
            _packed = PackedRows.Pack(data);
            if (!options.Shuffle)
            {
                for (int i = 0; i < _order.Length; i++)
                {
                    _order[i] = i;
                }
            }
            return;
        }
        _buffers = new BucketShuffle[WorksAhead(options) ? 2 : 1];
        for (int i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = new BucketShuffle(data, bucketBits, options.MaxDegreeOfParallelism, options.HuberDelta);
        }
    }

    public MinibatchStepper<TKernel, TLoss> Stepper { get; }

    /// <summary>Buckets for this size (0: one packed copy); always 0 without shuffling, where the rows stay in order.</summary>
    public static int BucketBitsFor(long examples, int features, TrainingOptions options) =>
        options.Shuffle
            ? BucketShuffle.BucketBitsFor(examples, features, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes, SgdTrainer.MaxBucketBits)
            : 0;

    /// <summary>Working ahead needs a second core and a second buffer; a single epoch gains nothing from it.</summary>
    public static bool WorksAhead(TrainingOptions options) =>
        options.Epochs > 1 && options.MaxDegreeOfParallelism != 1 && Environment.ProcessorCount > 1;

    /// <summary>
    /// Runs epoch <paramref name="epoch"/> (from 0) and reports every epoch loss that became
    /// known during it, in order: with buckets, losses arrive one or two epochs late, and
    /// <see cref="Finish"/> reports the rest.
    /// </summary>
    public void RunEpoch(int epoch, Action<EpochLoss> report)
    {
        Stepper.BeginEpoch(epoch);
        if (_packed is not null)
        {
            if (_options.Shuffle)
            {
                new ShuffleRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch)).Permutation(_order);
            }
            Feed(ref MemoryMarshal.GetArrayDataReference(_packed), _order, 0, epoch);
            FinishEpoch(epoch);
            report(new EpochLoss(epoch + 1, CurrentLoss()));
            return;
        }

        BucketShuffle current = _buffers[epoch % _buffers.Length];
        if (_aheadEpoch == epoch)
        {
            // Scattered on the other core during the last epoch, with the loss of the weights that epoch began from.
            double twiceLosses = TakeAhead();
            if (epoch >= 2 && !_lossAfterEachEpoch)
            {
                report(new EpochLoss(epoch - 1, twiceLosses / (2.0 * _data.Examples)));
            }
        }
        else
        {
            float[]? lossWeights = epoch > 0 && !_lossAfterEachEpoch ? Stepper.Weights : null;
            double twiceLosses = current.Scatter<TKernel, TLoss>(_options.Seed, epoch, lossWeights, Stepper.Bias, _cancellationToken);
            if (lossWeights is not null)
            {
                report(new EpochLoss(epoch, twiceLosses / (2.0 * _data.Examples)));
            }
        }

        if (_buffers.Length == 2)
        {
            StartAhead(epoch);
        }
        FeedBuckets(current, epoch);
        FinishEpoch(epoch);
        if (_lossAfterEachEpoch)
        {
            report(new EpochLoss(epoch + 1, CurrentLoss()));
        }
    }

    /// <summary>Reports the losses still owed after the last epoch: the one computed ahead, then the final weights'.</summary>
    public void Finish(Action<EpochLoss> report)
    {
        if (_packed is not null || _lossAfterEachEpoch)
        {
            return;
        }
        if (_aheadScatter is not null || _aheadLoss is not null)
        {
            double twiceLosses = TakeAhead();
            report(new EpochLoss(_options.Epochs - 1, twiceLosses / (2.0 * _data.Examples)));
        }
        report(new EpochLoss(_options.Epochs, CurrentLoss()));
    }

    /// <summary>The mean loss over the whole dataset with the current parameters.</summary>
    public double CurrentLoss() =>
        LossPass.Mean<TKernel, TLoss>(_data, Stepper.Weights, Stepper.Bias, _options.HuberDelta, _options.MaxDegreeOfParallelism, _cancellationToken);

    /// <summary>The mean squared loss (ŷ − y)²/2 with the current parameters, whatever the loss trained on.</summary>
    public double CurrentSquaredLoss() =>
        LossPass.Mean<TKernel>(_data, Stepper.Weights, Stepper.Bias, _options.MaxDegreeOfParallelism, _cancellationToken);

    /// <summary>
    /// On a background thread: scatter the next epoch into the other buffer, summing the loss of
    /// the weights this epoch starts from (a copy: training changes the live ones meanwhile); the
    /// trainer joins the scatter when its epoch is done. After the last epoch there is nothing to
    /// scatter, and that loss gets a pass of its own.
    /// </summary>
    private void StartAhead(int epoch)
    {
        float[]? weights = epoch > 0 && !_lossAfterEachEpoch ? [.. Stepper.Weights] : null;
        float bias = Stepper.Bias;
        int next = epoch + 1;
        if (next < _options.Epochs)
        {
            _aheadScatter = _buffers[next % 2].BeginScatter<TKernel, TLoss>(_options.Seed, next, weights, bias, _cancellationToken);
            _aheadEpoch = next;
        }
        else if (weights is not null)
        {
            _aheadLoss = Task.Run(() => 2.0 * _data.Examples * LossPass.Mean<TKernel, TLoss>(_data, weights, bias, _options.HuberDelta, 1, _cancellationToken), CancellationToken.None);
            _aheadEpoch = -1;
        }
    }

    private double TakeAhead()
    {
        double twiceLosses = _aheadScatter is { } scatter ? scatter.Complete() : _aheadLoss!.GetAwaiter().GetResult();
        _aheadScatter = null;
        _aheadLoss = null;
        _aheadEpoch = -1;
        return twiceLosses;
    }

    /// <summary>
    /// Shuffles every bucket (each from its own stream), then trains bucket after bucket while the
    /// next one is prefetched into cache.
    /// </summary>
    private void FeedBuckets(BucketShuffle buckets, int epoch)
    {
        int[] order = _order;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = _cancellationToken };
        Parallel.For(0, buckets.BucketCount, options, bucket =>
            new ShuffleRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch, bucket))
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

    private void Feed(ref float packed, ReadOnlySpan<int> order, long baseRow, int epoch)
    {
        PrefetchCursor none = default;
        Feed(ref packed, order, baseRow, epoch, ref none);
    }

    /// <summary>Feeds rows in slices, looking at the token and for divergence between slices.</summary>
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

    public void Dispose()
    {
        // A scatter still running on the other core writes into a buffer: let it end first.
        _aheadScatter?.Quiesce();
        try
        {
            _aheadLoss?.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Whatever ended it (cancellation, a failure) has already ended the run; only the buffer matters here.
        }
        foreach (BucketShuffle buffer in _buffers)
        {
            buffer.Dispose();
        }
    }
}
