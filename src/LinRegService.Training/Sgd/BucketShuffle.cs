using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// A cache-friendly uniform shuffle (Rao–Sandelius) that keeps one copy of the rows: every row of
/// the last epoch's order goes to one of K buckets chosen uniformly at random, appended in order,
/// and each bucket, small enough for L2, is then visited in its own Fisher–Yates order. A random
/// permutation of a fixed order is uniform, so the result is a uniformly random permutation of the
/// rows whatever order they were in, yet memory is read and written in long sequential runs. The
/// rows move between blocks of one <see cref="RowArena"/>: the scatter takes a block for a bucket
/// when it reaches it and gives back the last order's blocks as soon as it has read them.
/// The last order is read in units of whole blocks (about 2^18 values each), and each unit draws
/// its buckets from a stream of its own keyed by (seed, epoch, unit), so the result does not
/// depend on the number of threads or on which thread took which unit.
/// </summary>
internal sealed partial class BucketShuffle
{
    private readonly PackedDataset _data;
    private readonly int _bucketBits;
    private readonly int _blocksPerUnit;
    private readonly int[] _cursors;

    /// <summary>Two block lists used in turn: the order being read holds one, the order being written the other.</summary>
    private readonly int[][] _blockLists;
    private readonly double[] _partialLoss;
    private readonly int _maxDegreeOfParallelism;
    private readonly float _lossDelta;

    /// <summary>A shuffle of <paramref name="data"/>'s rows; <paramref name="lossDelta"/> is Huber's δ for the loss that rides along.</summary>
    public BucketShuffle(PackedDataset data, int bucketBits, int maxDegreeOfParallelism, float lossDelta = 1f)
    {
        _data = data;
        _bucketBits = bucketBits;
        _blocksPerUnit = BlocksPerUnit(data.Features);
        int units = UnitsFor(data.Arena.CapacityBlocks, data.Features);
        _cursors = new int[(long)units << bucketBits];
        _partialLoss = new double[units];
        _blockLists = [new int[data.Arena.CapacityBlocks], new int[data.Arena.CapacityBlocks]];
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _lossDelta = lossDelta;
    }

    public int BucketCount => 1 << _bucketBits;

    /// <summary>
    /// What a shuffle takes beside the arena: per unit a count (then a cursor) per bucket and a
    /// partial loss, and the block list of the order being written while the last one is read.
    /// </summary>
    public static long BytesFor(long examples, int features, int bucketBits, int maxDegreeOfParallelism = -1)
    {
        int capacity = RowArena.CapacityFor(examples, features, bucketBits, ThreadsFor(maxDegreeOfParallelism));
        long units = UnitsFor(capacity, features);
        return (units << bucketBits) * sizeof(int) + (units * sizeof(double)) + (2L * capacity * sizeof(int)) + (4L << bucketBits) * sizeof(int);
    }

    /// <summary>
    /// Scatters the rows from their order now (<see cref="PackedDataset.Layout"/>) into the buckets
    /// of <paramref name="epoch"/>, which becomes the layout. When <paramref name="lossWeights"/> is
    /// given, the read pass also sums twice the loss 2·L(x·w + b − y) with them and returns it (the
    /// previous epoch's loss rides along for free); otherwise returns 0.
    /// </summary>
    public double Scatter<TKernel, TLoss>(long seed, int epoch, float[]? lossWeights, float lossBias, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        RowLayout source = _data.Layout;
        int units = UnitCount(source);
        var options = new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, units, options, unit => CountUnit(source, seed, epoch, unit));
        RowLayout target = Offsets(source, units);
        // Units in increasing order, whichever thread takes them: each bucket then fills from the
        // front, and each slower thread holds at most one unit behind it (what RowArena.CapacityFor allows).
        int next = 0;
        Parallel.For(0, ThreadsFor(_maxDegreeOfParallelism), options, _ =>
        {
            int unit;
            while ((unit = Interlocked.Increment(ref next) - 1) < units)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _partialLoss[unit] = ScatterUnit<TKernel, TLoss>(source, target, seed, epoch, unit, lossWeights, lossBias);
            }
        });
        _data.Layout = target;
        return Sum(units);
    }

    /// <summary>
    /// Starts scattering into <paramref name="epoch"/>'s buckets on a background thread while the
    /// rows are still being trained on in their order now: a unit is read only once
    /// <paramref name="bucketsTrained"/> says training is past every bucket it holds rows of. Any
    /// thread that calls <see cref="SharedScatter.Complete"/> joins in, so the trainer helps as soon
    /// as its own epoch is done and neither core idles.
    /// </summary>
    public SharedScatter BeginScatter<TKernel, TLoss>(long seed, int epoch, float[]? lossWeights, float lossBias, Func<int> bucketsTrained, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        RowLayout source = _data.Layout;
        var work = new SharedScatter(this, source, bucketsTrained, cancellationToken);
        work.Start(
            () =>
            {
                int units = UnitCount(source);
                for (int unit = 0; unit < units; unit++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CountUnit(source, seed, epoch, unit);
                }
                return Offsets(source, units);
            },
            (target, unit) => ScatterUnit<TKernel, TLoss>(source, target, seed, epoch, unit, lossWeights, lossBias));
        return work;
    }

    /// <summary>A scatter shared between a background thread and whoever completes it.</summary>
    internal sealed class SharedScatter(BucketShuffle owner, RowLayout source, Func<int> bucketsTrained, CancellationToken cancellationToken)
    {
        private readonly int _units = owner.UnitCount(source);
        private readonly TaskCompletionSource<RowLayout> _counted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _nextUnit;
        private volatile bool _abandoned;
        private Task? _background;
        private Func<RowLayout, int, double>? _scatterUnit;

        /// <summary>Counts, then helps, on a pool thread: never inline on the caller, the trainer, whose progress the scatter waits for.</summary>
        public void Start(Func<RowLayout> count, Func<RowLayout, int, double> scatterUnit)
        {
            _scatterUnit = scatterUnit;
            _background = Task.Run(() =>
            {
                RowLayout target;
                try
                {
                    target = count();
                }
                catch (Exception error)
                {
                    _counted.SetException(error);
                    throw;
                }
                _counted.SetResult(target);
                Help(target);
            }, CancellationToken.None);
        }

        /// <summary>Joins the scatter until every unit is taken, waits for the rest, makes the new order the layout, and returns the sum of twice the losses.</summary>
        public double Complete()
        {
            RowLayout target = _counted.Task.GetAwaiter().GetResult();
            Help(target);
            _background!.GetAwaiter().GetResult();
            owner._data.Layout = target;
            return owner.Sum(_units);
        }

        /// <summary>Stops the background part (it may be waiting for training that will not come) and waits for it to end, whatever its outcome.</summary>
        public void Quiesce()
        {
            _abandoned = true;
            try
            {
                _background?.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // the run that owned this scatter has already ended
            }
        }

        private void Help(RowLayout target)
        {
            int unit;
            while ((unit = Interlocked.Increment(ref _nextUnit) - 1) < _units)
            {
                int lastBucket = source.BucketOfBlock(owner.LastBlockOf(source, unit));
                var spin = default(SpinWait);
                while (bucketsTrained() <= lastBucket)
                {
                    if (_abandoned)
                    {
                        throw new OperationCanceledException("The run ended before training reached this unit.");
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    spin.SpinOnce();
                }
                cancellationToken.ThrowIfCancellationRequested();
                owner._partialLoss[unit] = _scatterUnit!(target, unit);
            }
        }
    }

    /// <summary>Threads a scatter runs on with this degree of parallelism (-1: every core), the trainer and the background thread included.</summary>
    public static int ThreadsFor(int maxDegreeOfParallelism) =>
        Math.Max(2, maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount));

    /// <summary>Blocks per unit of the last order read by one stream: about 2^18 values, whole blocks.</summary>
    public static int BlocksPerUnit(int features) => Math.Max(1, RowBlocks.RowsPerBlock(features) / RowArena.RowsPerBlockFor(features));

    private static int UnitsFor(int blocks, int features) => Math.Max(1, (blocks + BlocksPerUnit(features) - 1) / BlocksPerUnit(features));

    private int UnitCount(RowLayout source) => Math.Max(1, (source.BlockCount + _blocksPerUnit - 1) / _blocksPerUnit);

    private int LastBlockOf(RowLayout source, int unit) => Math.Min((unit + 1) * _blocksPerUnit, source.BlockCount) - 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private void CountUnit(RowLayout source, long seed, int epoch, int unit)
    {
        Span<int> counts = _cursors.AsSpan(unit << _bucketBits, BucketCount);
        counts.Clear();
        var rng = new XoshiroLanes(StreamKey.For(seed, StreamKey.Purpose.BucketAssignment, epoch, unit));
        int rows = RowsIn(source, unit);
        int shift = 32 - _bucketBits;
        Span<uint> ids = stackalloc uint[8];
        for (int i = 0; i < rows; i += 8)
        {
            (rng.Next() >>> shift).CopyTo(ids);
            int take = Math.Min(8, rows - i);
            for (int j = 0; j < take; j++)
            {
                counts[(int)ids[j]]++;
            }
        }
    }

    private int RowsIn(RowLayout source, int unit)
    {
        int first = unit * _blocksPerUnit;
        int last = LastBlockOf(source, unit);
        if (last < first)
        {
            return 0;
        }
        int rows = 0;
        for (int index = first, bucket = source.BucketOfBlock(first); index <= last; index++)
        {
            rows += source.RowsInBlockWalking(index, ref bucket);
        }
        return rows;
    }

    /// <summary>The new order's buckets from the counts, and each unit's first position in each bucket in place of its count.</summary>
    private RowLayout Offsets(RowLayout source, int units)
    {
        // Unit after unit, each bucket's running total beside it: the counts are read in memory order.
        int[] running = new int[BucketCount];
        for (int unit = 0; unit < units; unit++)
        {
            Span<int> counts = _cursors.AsSpan(unit << _bucketBits, BucketCount);
            for (int bucket = 0; bucket < counts.Length; bucket++)
            {
                int count = counts[bucket];
                counts[bucket] = running[bucket];
                running[bucket] += count;
            }
        }
        return new RowLayout(running, source.RowsPerBlock, source.Blocks == _blockLists[0] ? _blockLists[1] : _blockLists[0]);
    }

    /// <summary>
    /// Appends every row of <paramref name="unit"/> to its bucket at the unit's positions, taking a
    /// block wherever a bucket reaches one not yet taken (by either thread), then gives the unit's
    /// blocks back. Returns twice the unit's loss with <paramref name="lossWeights"/>, or 0.
    /// Two steps per block read: first where each of its rows goes (the draws, the cursors, a block
    /// looked up or taken only where a bucket starts one), then the copies and the loss in a loop
    /// without calls, so its values stay in registers (docs/benchmarks.md, seventh session).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private unsafe double ScatterUnit<TKernel, TLoss>(RowLayout source, RowLayout target, long seed, int epoch, int unit, float[]? lossWeights, float lossBias)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        int stride = _data.Stride;
        int blockShift = _data.Arena.BlockShift;
        int rowMask = _data.Arena.RowsPerBlock - 1;
        int idShift = 32 - _bucketBits;
        Span<int> cursors = _cursors.AsSpan(unit << _bucketBits, BucketCount);
        int[] targetBlocks = target.Blocks;
        ReadOnlySpan<int> firstBlocks = target.FirstBlocks;
        ref float arena = ref _data.Slot(0); // once: the property chain to the buffer costs more than a row's copy
        bool sixteen = SixteenWide.Applies<TKernel>(_data.Features);
        long blockBytes = (long)_data.Arena.RowsPerBlock * stride * sizeof(float);
        int linesPerRow = (int)(blockBytes / 64 / _data.Arena.RowsPerBlock) + 1; // the next block is fetched within this block's rows
        var loss = new RowLoss(lossWeights, lossBias, _lossDelta, sixteen);
        double sum = 0;

        // The same stream as CountUnit, drawn again rather than stored: cheaper than a pass over n ids.
        var rng = new XoshiroLanes(StreamKey.For(seed, StreamKey.Purpose.BucketAssignment, epoch, unit));
        Span<uint> ids = stackalloc uint[Vector256<uint>.Count];
        int drawn = ids.Length;
        Span<nint> targets = stackalloc nint[_data.Arena.RowsPerBlock];
        // Each bucket's last slot written by this unit (-1: none yet): the next row goes to the one
        // after it unless it starts a block, which spares most rows a look into the block lists.
        Span<int> lastSlots = stackalloc int[BucketCount];
        lastSlots.Fill(-1);
        int first = unit * _blocksPerUnit;
        int last = LastBlockOf(source, unit);
        for (int index = first, bucket = first <= last ? source.BucketOfBlock(first) : 0; index <= last; index++)
        {
            int rows = source.RowsInBlockWalking(index, ref bucket);
            for (int r = 0; r < rows; r++)
            {
                if (drawn == ids.Length)
                {
                    (rng.Next() >>> idShift).CopyTo(ids);
                    drawn = 0;
                }
                int id = (int)ids[drawn++];
                int position = cursors[id]++;
                int slot = lastSlots[id] + 1;
                if ((position & rowMask) == 0 || slot == 0)
                {
                    // A new block, or this unit's first row in the bucket: where its block is.
                    int at = firstBlocks[id] + (position >> blockShift);
                    int taken = targetBlocks[at];
                    if (taken < 0)
                    {
                        taken = TakeBlock(targetBlocks, at);
                    }
                    slot = (taken << blockShift) + (position & rowMask);
                }
                lastSlots[id] = slot;
                targets[r] = (nint)slot * stride;
            }
            ref float block = ref Unsafe.Add(ref arena, (nint)(source.Blocks[index] << blockShift) * stride);
            // The next block read is elsewhere in the arena, unless the rows are in order.
            var fetch = new Fetches(
                _data.Arena.IsNative,
                ref !source.IsInOrder && index < last ? ref Unsafe.Add(ref arena, (nint)(source.Blocks[index + 1] << blockShift) * stride) : ref Unsafe.NullRef<float>(),
                blockBytes,
                linesPerRow,
                stride);
            fetch.FirstTargets(ref arena, targets[..Math.Min(rows, TargetsAhead)]);
            sum = sixteen
                ? CopySixteen<TLoss>(ref block, ref arena, targets[..rows], fetch, loss, sum)
                : CopyRows<TKernel, TLoss>(ref block, ref arena, targets[..rows], fetch, loss, lossWeights, sum);
        }
        if (last >= first)
        {
            _data.Arena.Release(source.Blocks.AsSpan(first, last - first + 1)); // read: the next order's rows may go there
        }
        return sum;
    }

    /// <summary>A block for the new order's place <paramref name="at"/>: a fresh one, unless the other thread took one first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called from the hot loops: a job is over before tiering would optimize it
    private int TakeBlock(int[] blocks, int at)
    {
        int fresh = _data.Arena.Take();
        int won = Interlocked.CompareExchange(ref blocks[at], fresh, -1);
        if (won == -1)
        {
            return fresh;
        }
        _data.Arena.Release([fresh]);
        return won;
    }

    private double Sum(int units)
    {
        double total = 0;
        for (int unit = 0; unit < units; unit++)
        {
            total += _partialLoss[unit];
        }
        return total;
    }

    /// <summary>
    /// log2 of the number of buckets for a dataset: none while the packed rows fit in cache,
    /// else enough that one bucket is about <paramref name="targetBucketBytes"/>.
    /// </summary>
    public static int BucketBitsFor(long examples, int features, long inCacheBytes, long targetBucketBytes, int maxBucketBits)
    {
        long bytes = examples * (features + 1) * sizeof(float);
        if (bytes <= inCacheBytes)
        {
            return 0;
        }
        long buckets = (bytes + targetBucketBytes - 1) / targetBucketBytes;
        int bits = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(2, buckets) - 1);
        return Math.Clamp(bits, 1, maxBucketBits);
    }
}
