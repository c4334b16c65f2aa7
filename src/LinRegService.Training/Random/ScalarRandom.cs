using System.Runtime.CompilerServices;

namespace LinRegService.Training.Random;

/// <summary>
/// A small scalar generator (SplitMix64) for the inherently sequential draws: Fisher–Yates swaps.
/// </summary>
internal struct ScalarRandom(ulong streamKey)
{
    private ulong _state = streamKey;

    /// <summary>A uniform integer in [0, bound), unbiased (Lemire's multiply-and-reject).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextBelow(uint bound)
    {
        ulong product = (ulong)(uint)StreamKey.Next(ref _state) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = (uint)(-(int)bound) % bound;
            while (low < threshold)
            {
                product = (ulong)(uint)StreamKey.Next(ref _state) * bound;
                low = (uint)product;
            }
        }
        return (uint)(product >> 32);
    }

    /// <summary>Fills <paramref name="order"/> with a uniformly random permutation of 0..n-1 (Fisher–Yates).</summary>
    public void Permutation(Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)NextBelow((uint)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
