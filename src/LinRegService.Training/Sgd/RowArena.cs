using System.Numerics;
using System.Runtime.CompilerServices;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The one copy of a run's rows: packed (features, then the label; stride features + 1) in
/// blocks of <see cref="RowsPerBlock"/> rows cut from one buffer. A scatter takes blocks for the
/// next epoch's buckets as it fills them and gives back each block of the last epoch's once it
/// has read it, so the rows never need a second copy: the data plus about one partly filled
/// block per bucket. Small data live in a managed array, large data in a
/// <see cref="NativeBuffer{T}"/> (huge pages, kept between runs).
/// </summary>
internal sealed class RowArena : IDisposable
{
    /// <summary>At most this many bytes per block (unless one row is larger): a bucket's partly filled block is small, and a block is still many cache lines.</summary>
    private const int MaxBlockBytes = 6144;

    /// <summary>Up to this size the rows live in a managed array (a native buffer is whole 2 MiB pages).</summary>
    private const long ManagedBytes = 1L << 20;

    private readonly float[]? _managed;
    private readonly NativeBuffer<float>? _native;
    private readonly int[] _free;
    private readonly Lock _gate = new();
    private int _freeCount;

    /// <summary>An arena of <paramref name="capacityBlocks"/> blocks, the first <paramref name="usedBlocks"/> of them in use (the rows written in order), the rest free.</summary>
    public RowArena(int features, int capacityBlocks, int usedBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(usedBlocks, capacityBlocks);
        Features = features;
        RowsPerBlock = RowsPerBlockFor(features);
        CapacityBlocks = capacityBlocks;
        long values = (long)capacityBlocks * RowsPerBlock * Stride;
        if (values * sizeof(float) <= ManagedBytes)
        {
            _managed = GC.AllocateUninitializedArray<float>((int)values);
        }
        else
        {
            _native = new NativeBuffer<float>(values);
        }
        // Lowest free block on top: a run touches only as much of the buffer as it uses at once.
        _free = new int[capacityBlocks];
        for (int block = capacityBlocks - 1; block >= usedBlocks; block--)
        {
            _free[_freeCount++] = block;
        }
    }

    public int Features { get; }

    /// <summary>Floats per row: the features and the label.</summary>
    public int Stride => Features + 1;

    public int RowsPerBlock { get; }

    public int CapacityBlocks { get; }

    /// <summary>Whether the rows are in native memory, which never moves: only then may a prefetch hold their address.</summary>
    public bool IsNative => _native is not null;

    /// <summary>Blocks not in use now.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    /// <summary>The first value of block 0; row slot s (block s / RowsPerBlock) starts s·Stride values on.</summary>
    public ref float First => ref _managed is not null ? ref _managed[0] : ref _native!.First;

    /// <summary>log2 of the rows per block: a power of two, so a row's block and place in it are a shift and a mask.</summary>
    public int BlockShift => BitOperations.Log2((uint)RowsPerBlock);

    /// <summary>Rows per block for this many features: the largest power of two that fits <see cref="MaxBlockBytes"/> (3 to 6 KiB), at least one row.</summary>
    public static int RowsPerBlockFor(int features)
    {
        long rowBytes = (features + 1L) * sizeof(float);
        return 1 << BitOperations.Log2((uint)Math.Max(1, MaxBlockBytes / rowBytes));
    }

    /// <summary>Blocks for <paramref name="examples"/> rows written in order.</summary>
    public static int BlocksFor(long examples, int features) => (int)((examples + RowsPerBlockFor(features) - 1) / RowsPerBlockFor(features));

    /// <summary>
    /// Blocks an arena needs for <paramref name="examples"/> rows scattered into 2^<paramref name="bucketBits"/>
    /// buckets by up to <paramref name="threads"/> threads taking units in increasing order: the rows;
    /// each bucket's last, partly filled block in the order being read; in the order being written,
    /// each bucket's front block and the two ends of each slower thread's unit behind it; and the rows
    /// of the units in flight, written before their blocks are given back.
    /// </summary>
    public static int CapacityFor(long examples, int features, int bucketBits, int threads)
    {
        int rows = BlocksFor(examples, features);
        if (bucketBits == 0)
        {
            return rows;
        }
        long perBucket = 2L + (2L * threads);
        long inFlight = threads * (BucketShuffle.BlocksPerUnit(features) + 1L);
        return checked((int)(rows + (perBucket << bucketBits) + inFlight + 64));
    }

    /// <summary>What an arena of this capacity takes.</summary>
    public static long BytesFor(int capacityBlocks, int features)
    {
        long bytes = (long)capacityBlocks * RowsPerBlockFor(features) * (features + 1L) * sizeof(float);
        return bytes <= ManagedBytes ? bytes : NativeBuffer<float>.BytesFor(bytes / sizeof(float)) * 5 / 4; // a kept buffer may be a quarter larger
    }

    /// <summary>A free block.</summary>
    /// <exception cref="InvalidOperationException">None is free: the capacity bound was wrong (a bug, never the data's fault).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called from the scatter's hot loop: a job is over before tiering would optimize it
    public int Take()
    {
        lock (_gate)
        {
            return _freeCount > 0 ? _free[--_freeCount] : throw new InvalidOperationException("The row arena has no free block left.");
        }
    }

    /// <summary>Gives back blocks no layout holds any more.</summary>
    public void Release(ReadOnlySpan<int> blocks)
    {
        lock (_gate)
        {
            foreach (int block in blocks)
            {
                _free[_freeCount++] = block;
            }
        }
    }

    public void Dispose() => _native?.Dispose();
}
