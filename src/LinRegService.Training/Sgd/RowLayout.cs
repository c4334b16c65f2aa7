namespace LinRegService.Training.Sgd;

/// <summary>
/// Where the rows of one epoch are in a <see cref="RowArena"/>: buckets in order, each a run of
/// blocks (<see cref="Blocks"/>, in the bucket's row order) holding its rows, the last one
/// possibly partly filled. Row p of bucket k is row p mod R of block Blocks[FirstBlock(k) + p / R].
/// Which physical block holds which rows may differ between runs (threads take blocks as they
/// come); the order of the rows does not, and it is all training and the sums ever look at.
/// </summary>
internal sealed class RowLayout
{
    private readonly int[] _bucketStart;
    private readonly int[] _firstBlock;

    /// <param name="bucketSizes">Rows in each bucket, in order.</param>
    /// <param name="rowsPerBlock">The arena's rows per block.</param>
    /// <param name="blocks">
    /// An array to hold the blocks (at least <see cref="BlockCount"/> long: a shuffle reuses two in
    /// turn), its first <see cref="BlockCount"/> left unassigned (-1) for a scatter to take; null for a new one.
    /// </param>
    public RowLayout(ReadOnlySpan<int> bucketSizes, int rowsPerBlock, int[]? blocks = null)
        : this(bucketSizes, rowsPerBlock)
    {
        if (blocks is not null && blocks.Length < BlockCount)
        {
            throw new ArgumentException("Room for one block per RowsPerBlock rows of each bucket.", nameof(blocks));
        }
        Blocks = blocks ?? GC.AllocateUninitializedArray<int>(BlockCount);
        Blocks.AsSpan(0, BlockCount).Fill(-1);
    }

    private RowLayout(ReadOnlySpan<int> bucketSizes, int rowsPerBlock)
    {
        RowsPerBlock = rowsPerBlock;
        _bucketStart = new int[bucketSizes.Length + 1];
        _firstBlock = new int[bucketSizes.Length + 1];
        for (int k = 0; k < bucketSizes.Length; k++)
        {
            _bucketStart[k + 1] = _bucketStart[k] + bucketSizes[k];
            _firstBlock[k + 1] = _firstBlock[k] + ((bucketSizes[k] + rowsPerBlock - 1) / rowsPerBlock);
        }
        Blocks = [];
    }

    /// <summary>Rows written in order from block 0 on, as one bucket: generated or packed data before any shuffle.</summary>
    public static RowLayout InOrder(int examples, int rowsPerBlock)
    {
        var layout = new RowLayout([examples], rowsPerBlock) { IsInOrder = true };
        layout.Blocks = GC.AllocateUninitializedArray<int>(layout.BlockCount);
        for (int i = 0; i < layout.BlockCount; i++)
        {
            layout.Blocks[i] = i;
        }
        return layout;
    }

    /// <summary>Whether row i is slot i of the arena (made by <see cref="InOrder"/>): a contiguous packed array in dataset order.</summary>
    public bool IsInOrder { get; private init; }

    /// <summary>Every block in order, bucket after bucket: the first <see cref="BlockCount"/> of the array.</summary>
    public int[] Blocks { get; private set; }

    /// <summary>Blocks the rows take: one per RowsPerBlock rows of each bucket.</summary>
    public int BlockCount => _firstBlock[^1];

    public int RowsPerBlock { get; }

    public int BucketCount => _bucketStart.Length - 1;

    public int Examples => _bucketStart[^1];

    public int BucketStart(int bucket) => _bucketStart[bucket];

    public int BucketSize(int bucket) => _bucketStart[bucket + 1] - _bucketStart[bucket];

    /// <summary>Every bucket's <see cref="FirstBlock"/>, and the end: for a loop that looks one up per row.</summary>
    public ReadOnlySpan<int> FirstBlocks => _firstBlock;

    /// <summary>Index in <see cref="Blocks"/> of bucket <paramref name="bucket"/>'s first block (of the end, for BucketCount).</summary>
    public int FirstBlock(int bucket) => _firstBlock[bucket];

    /// <summary>The bucket whose blocks include index <paramref name="index"/> of <see cref="Blocks"/>.</summary>
    public int BucketOfBlock(int index)
    {
        // The last bucket starting at or before it: empty buckets share their start with the next.
        int low = 0, high = BucketCount - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_firstBlock[middle] <= index)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }

    /// <summary>Rows that the block at <paramref name="index"/> of <see cref="Blocks"/>, in bucket <paramref name="bucket"/>, holds.</summary>
    public int RowsInBlock(int bucket, int index) => Math.Min(RowsPerBlock, BucketSize(bucket) - ((index - _firstBlock[bucket]) * RowsPerBlock));

    /// <summary>
    /// <see cref="RowsInBlock"/> for a walk over the blocks in order: first moves
    /// <paramref name="bucket"/> on to the bucket that holds block <paramref name="index"/>.
    /// </summary>
    public int RowsInBlockWalking(int index, ref int bucket)
    {
        while (index >= _firstBlock[bucket + 1])
        {
            bucket++;
        }
        return RowsInBlock(bucket, index);
    }

    /// <summary>The arena slot of row <paramref name="position"/> of bucket <paramref name="bucket"/>.</summary>
    public int Slot(int bucket, int position) => (Blocks[_firstBlock[bucket] + (position / RowsPerBlock)] * RowsPerBlock) + (position % RowsPerBlock);
}
