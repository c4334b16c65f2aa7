using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// Runs one epoch at a time over a dataset's one packed copy (<see cref="PackedDataset"/>), with
/// the shuffle chosen by size. Data that fit in cache stay in dataset order and are visited in a
/// plain Fisher–Yates order. Larger data are scattered into buckets every epoch
/// (<see cref="BucketShuffle"/>), from the order they were last trained in; with two or more cores
/// the scatter for the next epoch runs on another core while this epoch trains, a bucket behind
/// the trainer (it reads and frees the blocks the trainer is done with), and the loss of the
/// weights the epoch started from rides on that scatter's read pass; the buckets' own orders are
/// drawn on another core too, ahead of the trainer. Without shuffling, the rows
/// are fed in dataset order, whatever their size. With early stopping, each epoch's loss is
/// computed right after it (a pass of its own) and the next scatter follows it, since the
/// decision to go on cannot wait for the loss that rides on a later scatter.
/// </summary>
internal sealed class EpochRunner<TKernel, TLoss> : IDisposable
    where TKernel : IStepKernel
    where TLoss : ILoss
{
    /// <summary>About this many multiply-adds run between two looks at the cancellation token (well under 10 ms).</summary>
    private const int WorkPerCheck = 1 << 18;

    private readonly PackedDataset _data;
    private readonly TrainingOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly int _rowsPerCheck;
    private readonly BucketShuffle? _shuffle;
    private readonly bool _worksAhead;
    private readonly int[] _order;
    private readonly bool _lossAfterEachEpoch;
    private BucketShuffle.SharedScatter? _aheadScatter;
    private Task<double>? _aheadLoss;
    private int _aheadEpoch = -1;
    private double _aheadTwiceLosses;

    /// <summary>Buckets of this epoch trained so far: the scatter working ahead reads only rows of those.</summary>
    private int _bucketsTrained;

    /// <summary>Buckets of this epoch whose order is drawn: the trainer feeds only those.</summary>
    private int _bucketsOrdered;

    /// <summary>Whether the buckets are ordered on another core while training runs.</summary>
    private readonly bool _ordersAhead;
    private Task? _ordering;
    private volatile bool _orderingAbandoned;

    public EpochRunner(PackedDataset data, TrainingOptions options, CancellationToken cancellationToken)
    {
        _data = data;
        _options = options;
        _cancellationToken = cancellationToken;
        _rowsPerCheck = Math.Max(1, WorkPerCheck / (data.Features + 1));
        _order = new int[data.Examples];
        _lossAfterEachEpoch = options.Tolerance is not null;
        Stepper = new MinibatchStepper<TKernel, TLoss>(SgdTrainer.InitialWeights(data.Features, options), options.InitialBias, options);

        int bucketBits = BucketBitsFor(data.Examples, data.Features, options);
        if (bucketBits == 0)
        {
            if (!options.Shuffle)
            {
                for (int i = 0; i < _order.Length; i++)
                {
                    _order[i] = i;
                }
            }
            return;
        }
        _shuffle = new BucketShuffle(data, bucketBits, options.MaxDegreeOfParallelism, options.HuberDelta);
        _worksAhead = WorksAhead(options);
        _ordersAhead = options.MaxDegreeOfParallelism != 1 && Environment.ProcessorCount > 1;
    }

    public MinibatchStepper<TKernel, TLoss> Stepper { get; }

    /// <summary>Buckets for this size (0: the rows stay in dataset order); always 0 without shuffling.</summary>
    public static int BucketBitsFor(long examples, int features, TrainingOptions options) =>
        options.Shuffle
            ? BucketShuffle.BucketBitsFor(examples, features, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes, SgdTrainer.MaxBucketBits)
            : 0;

    /// <summary>Working ahead needs a second core and a next epoch whose scatter need not wait for this one's loss.</summary>
    public static bool WorksAhead(TrainingOptions options) =>
        options.Epochs > 1 && options.MaxDegreeOfParallelism != 1 && Environment.ProcessorCount > 1 && options.Tolerance is null;

    /// <summary>
    /// Runs epoch <paramref name="epoch"/> (from 0) and reports every epoch loss that became
    /// known during it, in order: with buckets, losses arrive one or two epochs late, and
    /// <see cref="Finish"/> reports the rest.
    /// </summary>
    public void RunEpoch(int epoch, Action<EpochLoss> report)
    {
        Stepper.BeginEpoch(epoch);
        if (_shuffle is null)
        {
            if (_options.Shuffle)
            {
                new ShuffleRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch)).Permutation(_order);
            }
            PrefetchCursor none = default;
            Feed(ref _data.Slot(0), _order, epoch, ref none);
            FinishEpoch(epoch);
            report(new EpochLoss(epoch + 1, CurrentLoss()));
            return;
        }

        if (_aheadEpoch == epoch)
        {
            // Scattered after (or, on another core, during) the last epoch, with the loss of the weights that epoch began from.
            double twiceLosses = TakeAhead();
            if (epoch >= 2)
            {
                report(new EpochLoss(epoch - 1, twiceLosses / (2.0 * _data.Examples)));
            }
        }
        else
        {
            _shuffle.Scatter<TKernel, TLoss>(_options.Seed, epoch, null, 0f, _cancellationToken); // the first epoch, or one after an early-stopping check
        }

        RowLayout layout = _data.Layout;
        OrderBuckets(layout, epoch);
        Volatile.Write(ref _bucketsTrained, 0);
        // The next epoch's scatter reads this epoch's order, with the loss of the weights it starts
        // from: during training on another core, else right after it. Both give the same bits.
        float[]? weights = epoch > 0 ? [.. Stepper.Weights] : null;
        float bias = Stepper.Bias;
        if (_worksAhead)
        {
            StartAhead(epoch, weights, bias);
        }
        FeedBuckets(layout, epoch);
        FinishEpoch(epoch);
        if (_lossAfterEachEpoch)
        {
            report(new EpochLoss(epoch + 1, CurrentLoss()));
        }
        else if (!_worksAhead)
        {
            AheadNow(epoch, weights, bias);
        }
    }

    /// <summary>Reports the losses still owed after the last epoch: the one computed ahead, then the final weights'.</summary>
    public void Finish(Action<EpochLoss> report)
    {
        if (_shuffle is null || _lossAfterEachEpoch)
        {
            return;
        }
        if (_aheadLoss is not null)
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
        LossPass.Mean<TKernel, SquaredLoss>(_data, Stepper.Weights, Stepper.Bias, 1f, _options.MaxDegreeOfParallelism, _cancellationToken);

    /// <summary>
    /// On a background thread: scatter the next epoch, behind the trainer, summing the loss of the
    /// weights this epoch starts from (a copy: training changes the live ones meanwhile); the
    /// trainer joins the scatter when its epoch is done. After the last epoch there is nothing to
    /// scatter, and that loss gets a pass of its own.
    /// </summary>
    private void StartAhead(int epoch, float[]? weights, float bias)
    {
        int next = epoch + 1;
        if (next < _options.Epochs)
        {
            _aheadScatter = _shuffle!.BeginScatter<TKernel, TLoss>(_options.Seed, next, weights, bias, () => Volatile.Read(ref _bucketsTrained), _cancellationToken);
            _aheadEpoch = next;
        }
        else if (weights is not null)
        {
            _aheadLoss = Task.Run(() => TwiceLosses(weights, bias, 1), CancellationToken.None);
        }
    }

    /// <summary>What <see cref="StartAhead"/> does, on this thread once the epoch is trained (one core, or one thread asked for).</summary>
    private void AheadNow(int epoch, float[]? weights, float bias)
    {
        int next = epoch + 1;
        if (next < _options.Epochs)
        {
            _aheadTwiceLosses = _shuffle!.Scatter<TKernel, TLoss>(_options.Seed, next, weights, bias, _cancellationToken);
            _aheadEpoch = next;
        }
        else if (weights is not null)
        {
            _aheadTwiceLosses = TwiceLosses(weights, bias, _options.MaxDegreeOfParallelism);
            _aheadLoss = Task.FromResult(_aheadTwiceLosses);
        }
    }

    private double TwiceLosses(float[] weights, float bias, int maxDegreeOfParallelism) =>
        2.0 * _data.Examples * LossPass.Mean<TKernel, TLoss>(_data, weights, bias, _options.HuberDelta, maxDegreeOfParallelism, _cancellationToken);

    private double TakeAhead()
    {
        double twiceLosses = _aheadScatter is { } scatter ? scatter.Complete()
            : _aheadLoss is { } loss ? loss.GetAwaiter().GetResult()
            : _aheadTwiceLosses;
        _aheadScatter = null;
        _aheadLoss = null;
        _aheadEpoch = -1;
        return twiceLosses;
    }

    /// <summary>
    /// Each bucket's own Fisher–Yates order (from its own stream), as the arena slots of its rows.
    /// With a second core the buckets are ordered one after another on it while the trainer feeds
    /// the ones already ordered (an order takes a fraction of a bucket's training), so the trainer
    /// waits only for the first; on one core, before training.
    /// </summary>
    private void OrderBuckets(RowLayout layout, int epoch)
    {
        Volatile.Write(ref _bucketsOrdered, 0);
        if (!_ordersAhead)
        {
            for (int bucket = 0; bucket < layout.BucketCount; bucket++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                OrderBucket(layout, epoch, bucket);
            }
            Volatile.Write(ref _bucketsOrdered, layout.BucketCount);
            return;
        }
        _ordering = Task.Run(() =>
        {
            for (int bucket = 0; bucket < layout.BucketCount && !_orderingAbandoned; bucket++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                OrderBucket(layout, epoch, bucket);
                Volatile.Write(ref _bucketsOrdered, bucket + 1);
            }
        }, CancellationToken.None);
    }

    private void OrderBucket(RowLayout layout, int epoch, int bucket)
    {
        Span<int> slots = _order.AsSpan(layout.BucketStart(bucket), layout.BucketSize(bucket));
        new ShuffleRandom(StreamKey.For(_options.Seed, StreamKey.Purpose.LocalPermutation, epoch, bucket))
            .PermutationOfSlots(slots, layout.Blocks.AsSpan(layout.FirstBlock(bucket)), _data.Arena.BlockShift);
    }

    /// <summary>Waits until bucket <paramref name="bucket"/> has its order; rethrows what ended the ordering early.</summary>
    private void AwaitOrder(int bucket)
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref _bucketsOrdered) <= bucket)
        {
            if (_ordering is { IsCompleted: true } done)
            {
                done.GetAwaiter().GetResult();
                if (Volatile.Read(ref _bucketsOrdered) <= bucket)
                {
                    throw new InvalidOperationException("The bucket orders ended before every bucket was ordered.");
                }
                return;
            }
            spin.SpinOnce();
        }
    }

    /// <summary>Trains bucket after bucket while the next one is prefetched into cache, telling the scatter working ahead how far it got.</summary>
    private void FeedBuckets(RowLayout layout, int epoch)
    {
        ref float arena = ref _data.Slot(0);
        long blockBytes = (long)_data.Arena.RowsPerBlock * _data.Stride * sizeof(float);
        for (int bucket = 0; bucket < layout.BucketCount; bucket++)
        {
            int size = layout.BucketSize(bucket);
            int next = bucket + 1;
            PrefetchCursor prefetch = default;
            if (_data.Arena.IsNative && next < layout.BucketCount && layout.BucketSize(next) > 0)
            {
                ReadOnlySpan<int> blocks = layout.Blocks.AsSpan(layout.FirstBlock(next), layout.FirstBlock(next + 1) - layout.FirstBlock(next));
                long lastBytes = (long)layout.RowsInBlock(next, layout.FirstBlock(next + 1) - 1) * _data.Stride * sizeof(float);
                prefetch = new PrefetchCursor(ref arena, blocks, blockBytes, lastBytes, size);
            }
            AwaitOrder(bucket);
            Feed(ref arena, _order.AsSpan(layout.BucketStart(bucket), size), epoch, ref prefetch);
            Volatile.Write(ref _bucketsTrained, bucket + 1);
        }
        _ordering?.GetAwaiter().GetResult();
        _ordering = null;
    }

    /// <summary>Feeds the rows at arena slots <paramref name="slots"/> in slices, looking at the token and for divergence between slices.</summary>
    private void Feed(ref float arena, ReadOnlySpan<int> slots, int epoch, ref PrefetchCursor prefetch)
    {
        for (int start = 0; start < slots.Length; start += _rowsPerCheck)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Stepper.Feed(ref arena, slots.Slice(start, Math.Min(_rowsPerCheck, slots.Length - start)), 0, ref prefetch);
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
        // A scatter still running on the other core reads and writes the arena: let it end first.
        _aheadScatter?.Quiesce();
        _orderingAbandoned = true;
        try
        {
            _ordering?.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // as below: the run has already ended
        }
        try
        {
            _aheadLoss?.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Whatever ended it (cancellation, a failure) has already ended the run; only the arena matters here.
        }
    }
}
