using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.Random;

/// <summary>
/// Uniform integers for Fisher–Yates shuffles, drawn eight at a time from <see cref="XoshiroLanes"/>
/// and handed out one by one: a shuffle's cost is its swaps, not its random numbers.
/// </summary>
internal struct ShuffleRandom(ulong streamKey)
{
    private XoshiroLanes _lanes = new(streamKey);
    private EightWords _buffer;
    private int _left;

    /// <summary>A uniform integer in [0, bound), unbiased (Lemire's multiply-and-reject).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextBelow(uint bound)
    {
        ulong product = (ulong)NextUInt32() * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = (uint)(-(int)bound) % bound;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * bound;
                low = (uint)product;
            }
        }
        return (uint)(product >> 32);
    }

    /// <summary>Fills <paramref name="order"/> with a uniformly random permutation of 0..n-1 (Fisher–Yates, inside-out: no separate fill pass).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public void Permutation(Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            int j = (int)NextBelow((uint)i + 1);
            order[i] = order[j]; // when j == i this reads a stale value that the next line overwrites
            order[j] = i;
        }
    }

    /// <summary>
    /// The permutation <see cref="Permutation"/> draws, of the arena slots of a bucket's rows rather
    /// than of 0..n-1: position p is slot (blocks[p &gt;&gt; shift] &lt;&lt; shift) + (p &amp; mask). The
    /// same draws, so <c>order[k]</c> is the slot of the position <see cref="Permutation"/> would put
    /// there; one pass instead of a permutation and a mapping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public void PermutationOfSlots(Span<int> order, ReadOnlySpan<int> blocks, int shift)
    {
        int mask = (1 << shift) - 1;
        for (int i = 0; i < order.Length; i++)
        {
            int j = (int)NextBelow((uint)i + 1);
            order[i] = order[j];
            order[j] = (blocks[i >> shift] << shift) + (i & mask);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint NextUInt32()
    {
        if (_left == 0)
        {
            _lanes.Next().StoreUnsafe(ref _buffer[0]);
            _left = 8;
        }
        return _buffer[--_left];
    }

    [InlineArray(8)]
    private struct EightWords
    {
        private uint _first;
    }
}
