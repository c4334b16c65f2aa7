using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.Random;

/// <summary>
/// Eight independent xoshiro128++ generators, one per 32-bit lane of a <see cref="Vector256{T}"/>.
/// Only adds, shifts and xors, so it vectorizes on AVX2 and gives the same bits wherever it runs
/// (where 256-bit vectors are not accelerated the runtime emulates them with the same integer ops).
/// </summary>
internal struct XoshiroLanes
{
    private Vector256<uint> _s0, _s1, _s2, _s3;

    /// <summary>Seeds all 32 state words from a stream key through SplitMix64 (never all zero).</summary>
    public XoshiroLanes(ulong streamKey)
    {
        Span<uint> words = stackalloc uint[32];
        ulong state = streamKey;
        for (int i = 0; i < words.Length; i += 2)
        {
            ulong v = StreamKey.Next(ref state);
            words[i] = (uint)v;
            words[i + 1] = (uint)(v >> 32);
        }
        _s0 = Vector256.Create<uint>(words[..8]);
        _s1 = Vector256.Create<uint>(words[8..16]);
        _s2 = Vector256.Create<uint>(words[16..24]);
        _s3 = Vector256.Create<uint>(words[24..32]);
    }

    /// <summary>Eight fresh uniformly distributed 32-bit values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Next()
    {
        Vector256<uint> sum = _s0 + _s3;
        Vector256<uint> result = ((sum << 7) | (sum >>> 25)) + _s0;
        Vector256<uint> t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = (_s3 << 11) | (_s3 >>> 21);
        return result;
    }
}
