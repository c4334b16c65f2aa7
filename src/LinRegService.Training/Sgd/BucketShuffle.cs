using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// A cache-friendly uniform shuffle (Rao–Sandelius): every row goes to one of K buckets chosen
/// uniformly at random, the rows are scattered bucket by bucket into a packed buffer (stride
/// features + 1, the label last), and each bucket, small enough for L2, is then visited in its
/// own Fisher–Yates order. The concatenation is a uniformly random permutation of all rows,
/// yet memory is read and written in long sequential runs instead of one random row at a time.
/// Bucket choices come from a stream per (seed, epoch, block of rows), so the result does not
/// depend on the number of threads.
/// </summary>
internal sealed class BucketShuffle : IDisposable
{
    private readonly Dataset _data;
    private readonly int _bucketBits;
    private readonly int _blocks;
    private readonly int _blockRows;
    private readonly int[] _counts;
    private readonly int[] _cursors;
    private readonly int[] _bucketStart;
    private readonly double[] _partialLoss;
    private readonly int _maxDegreeOfParallelism;
    private readonly float _lossDelta;

    /// <summary>A shuffle buffer for <paramref name="data"/>; <paramref name="lossDelta"/> is Huber's δ for the loss that rides along.</summary>
    public BucketShuffle(Dataset data, int bucketBits, int maxDegreeOfParallelism, float lossDelta = 1f)
    {
        _lossDelta = lossDelta;
        _data = data;
        _bucketBits = bucketBits;
        _blockRows = RowBlocks.RowsPerBlock(data.FeatureCount);
        _blocks = RowBlocks.Count(data.Examples, data.FeatureCount);
        _counts = new int[_blocks * BucketCount];
        _cursors = new int[_blocks * BucketCount];
        _bucketStart = new int[BucketCount + 1];
        _partialLoss = new double[_blocks];
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        Packed = new NativeBuffer<float>((long)data.Examples * (data.FeatureCount + 1));
    }

    public int BucketCount => 1 << _bucketBits;

    /// <summary>
    /// What one shuffle buffer takes for this size: the packed rows (native, whole huge pages, a
    /// kept block up to a quarter more) and the per-block bucket counts and cursors.
    /// </summary>
    public static long BytesFor(long examples, int features, int bucketBits)
    {
        long blocks = (examples + RowBlocks.RowsPerBlock(features) - 1) / RowBlocks.RowsPerBlock(features);
        long packed = NativeBuffer<float>.BytesFor(examples * (features + 1L));
        return packed + (packed / 4) + (blocks << bucketBits) * 2 * sizeof(int) + (((1L << bucketBits) + 1) * sizeof(int)) + (blocks * sizeof(double));
    }

    /// <summary>The scattered rows: bucket k holds rows [BucketStart(k), BucketStart(k + 1)).</summary>
    public NativeBuffer<float> Packed { get; }

    public int BucketStart(int bucket) => _bucketStart[bucket];

    public int BucketSize(int bucket) => _bucketStart[bucket + 1] - _bucketStart[bucket];

    /// <summary>
    /// Scatters every row into its bucket for <paramref name="epoch"/>. When <paramref name="lossWeights"/>
    /// is given, the read pass also sums twice the loss 2·L(x·w + b − y) with them and returns it (the previous
    /// epoch's loss rides along for free); otherwise returns 0.
    /// </summary>
    public double Scatter<TKernel, TLoss>(long seed, int epoch, float[]? lossWeights, float lossBias, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss =>
        Scatter<TKernel, TLoss>(seed, epoch, lossWeights, lossBias, _maxDegreeOfParallelism, cancellationToken);

    /// <summary>As above, on at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    public double Scatter<TKernel, TLoss>(long seed, int epoch, float[]? lossWeights, float lossBias, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, _blocks, options, block => CountBlock(seed, epoch, block));
        ComputeOffsets();
        Parallel.For(0, _blocks, options, block => _partialLoss[block] = ScatterBlock<TKernel, TLoss>(seed, epoch, block, lossWeights, lossBias));
        double total = 0;
        foreach (double value in _partialLoss)
        {
            total += value;
        }
        return total;
    }

    /// <summary>
    /// Starts scattering <paramref name="epoch"/> on one background thread; any thread that calls
    /// <see cref="SharedScatter.Complete"/> joins in, taking blocks from the same counter, so the
    /// trainer helps as soon as its own epoch is done and neither core idles.
    /// </summary>
    public SharedScatter BeginScatter<TKernel, TLoss>(long seed, int epoch, float[]? lossWeights, float lossBias, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        var work = new SharedScatter(this, block => ScatterBlock<TKernel, TLoss>(seed, epoch, block, lossWeights, lossBias), cancellationToken);
        work.Start(() =>
        {
            for (int block = 0; block < _blocks; block++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CountBlock(seed, epoch, block);
            }
            ComputeOffsets();
        });
        return work;
    }

    /// <summary>A scatter shared between a background thread and whoever completes it.</summary>
    internal sealed class SharedScatter(BucketShuffle owner, Func<int, double> scatterBlock, CancellationToken cancellationToken)
    {
        private int _nextBlock;
        private Task? _counted;
        private Task? _background;

        public void Start(Action count)
        {
            _counted = Task.Run(count, CancellationToken.None);
            _background = _counted.ContinueWith(counted =>
            {
                counted.GetAwaiter().GetResult();
                Help();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Joins the scatter until every block is taken, waits for the rest, and returns the sum of twice the losses.</summary>
        public double Complete()
        {
            _counted!.GetAwaiter().GetResult();
            Help();
            _background!.GetAwaiter().GetResult();
            double total = 0;
            foreach (double value in owner._partialLoss)
            {
                total += value;
            }
            return total;
        }

        /// <summary>Waits for the background part to end, whatever its outcome (before the buffer is freed).</summary>
        public void Quiesce()
        {
            try
            {
                _background?.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // the run that owned this scatter has already ended
            }
        }

        private void Help()
        {
            int block;
            while ((block = Interlocked.Increment(ref _nextBlock) - 1) < owner._blocks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                owner._partialLoss[block] = scatterBlock(block);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private void CountBlock(long seed, int epoch, int block)
    {
        Span<int> counts = _counts.AsSpan(block * BucketCount, BucketCount);
        counts.Clear();
        var rng = new XoshiroLanes(StreamKey.For(seed, StreamKey.Purpose.BucketAssignment, epoch, block));
        int rows = RowsIn(block);
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

    private void ComputeOffsets()
    {
        int running = 0;
        for (int bucket = 0; bucket < BucketCount; bucket++)
        {
            _bucketStart[bucket] = running;
            for (int block = 0; block < _blocks; block++)
            {
                int index = block * BucketCount + bucket;
                _cursors[index] = running;
                running += _counts[index];
            }
        }
        _bucketStart[BucketCount] = running;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private double ScatterBlock<TKernel, TLoss>(long seed, int epoch, int block, float[]? lossWeights, float lossBias)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        int d = _data.FeatureCount;
        int stride = d + 1;
        int first = block * _blockRows;
        int rows = RowsIn(block);
        int shift = 32 - _bucketBits;
        Span<int> cursors = _cursors.AsSpan(block * BucketCount, BucketCount);
        ref float packed = ref Packed.First;
        ref float x = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data.Features), (nint)first * d);
        ref float y = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data.Labels), first);
        bool withLoss = lossWeights is not null;
        ref float w = ref withLoss ? ref MemoryMarshal.GetArrayDataReference(lossWeights!) : ref Unsafe.NullRef<float>();
        double sum = 0;

        // The same stream as CountBlock, drawn again rather than stored: cheaper than a pass over n ids.
        var rng = new XoshiroLanes(StreamKey.For(seed, StreamKey.Purpose.BucketAssignment, epoch, block));
        Span<uint> ids = stackalloc uint[8];
        for (int i = 0; i < rows; i += 8)
        {
            (rng.Next() >>> shift).CopyTo(ids);
            int take = Math.Min(8, rows - i);
            for (int j = 0; j < take; j++)
            {
                int row = i + j;
                ref float source = ref Unsafe.Add(ref x, (nint)row * d);
                float label = Unsafe.Add(ref y, row);
                ref float target = ref Unsafe.Add(ref packed, (nint)cursors[(int)ids[j]]++ * stride);
                RowMath.Copy(ref target, ref source, d);
                Unsafe.Add(ref target, d) = label;
                if (withLoss)
                {
                    double residual = (double)TKernel.Dot(ref source, ref w, d) + lossBias - label;
                    sum += TLoss.TwiceLoss(residual, _lossDelta);
                }
            }
        }
        return sum;
    }

    private int RowsIn(int block) => Math.Min(_blockRows, _data.Examples - (block * _blockRows));

    public void Dispose() => Packed.Dispose();

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
