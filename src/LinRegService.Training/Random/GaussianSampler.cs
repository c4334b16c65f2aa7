using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.Random;

/// <summary>
/// Normal variates by Box–Muller, sixteen at a time, fused in 256-bit registers. Log and sin/cos
/// are short polynomials built only from add, multiply, fused multiply-add, sqrt and integer
/// bit operations, all exactly rounded, so a seed gives the same bits on every machine
/// (the runtime's own vector Log/Sin may differ between hardware and software paths).
/// Uniforms carry 24 bits, so |z| ≤ 5.77: the tail beyond that has probability 8e-9.
/// </summary>
internal static class GaussianSampler
{
    private const float QuarterTurnPerUnit = (float)(Math.PI / 2 / (1 << 22));

    /// <summary>No variate is larger in magnitude: the smallest uniform is 2^-24, and √(−2·ln 2^-24) ≈ 5.768.</summary>
    public const double MaxAbsolute = 5.77;

    /// <summary>Fills <paramref name="destination"/> with N(0, scale²) values drawn from <paramref name="rng"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public static void Fill(ref XoshiroLanes rng, Span<float> destination, float scale)
    {
        ref float target = ref MemoryMarshal.GetReference(destination);
        int length = destination.Length;
        int i = 0;
        for (; i + 16 <= length; i += 16)
        {
            Next16(ref rng, scale, out Vector256<float> cosines, out Vector256<float> sines);
            cosines.StoreUnsafe(ref target, (nuint)i);
            sines.StoreUnsafe(ref target, (nuint)(i + 8));
        }
        if (i < length)
        {
            // The last partial round is drawn whole and cut, so a span's values never depend on what follows it.
            Span<float> round = stackalloc float[16];
            Next16(ref rng, scale, out Vector256<float> cosines, out Vector256<float> sines);
            cosines.CopyTo(round);
            sines.CopyTo(round[8..]);
            round[..(length - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>One Box–Muller round: eight radii and eight angles give sixteen independent normals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Next16(ref XoshiroLanes rng, float scale, out Vector256<float> cosines, out Vector256<float> sines)
    {
        Vector256<int> radiusBits = (rng.Next() >>> 8).AsInt32();
        Vector256<int> angleBits = (rng.Next() >>> 8).AsInt32();

        // u in (0, 1]: never zero, so the log is finite.
        Vector256<float> u = Vector256.ConvertToSingle(radiusBits + Vector256<int>.One) * (1f / (1 << 24));
        Vector256<float> radius = Vector256.Sqrt(Vector256.Create(-2f) * Log(u)) * scale;

        // Angle = 2π·k/2^24, split into the nearest quarter turn j and a remainder in [-π/4, π/4).
        Vector256<int> quarter = (angleBits + Vector256.Create(1 << 21)) >> 22;
        Vector256<float> x = Vector256.ConvertToSingle(angleBits - (quarter << 22)) * QuarterTurnPerUnit;
        SinCos(x, out Vector256<float> sin, out Vector256<float> cos);

        // Rotate (cos x, sin x) by j quarter turns: odd j swaps the two, and the signs follow j.
        Vector256<float> swapMask = Vector256.Equals(quarter & Vector256<int>.One, Vector256<int>.One).AsSingle();
        Vector256<float> c = Vector256.ConditionalSelect(swapMask, sin, cos);
        Vector256<float> s = Vector256.ConditionalSelect(swapMask, cos, sin);
        Vector256<int> cosSign = ((quarter + Vector256<int>.One) & Vector256.Create(2)) << 30;
        Vector256<int> sinSign = (quarter & Vector256.Create(2)) << 30;
        cosines = radius * (c.AsInt32() ^ cosSign).AsSingle();
        sines = radius * (s.AsInt32() ^ sinSign).AsSingle();
    }

    /// <summary>Natural log for x in (0, 1] (Cephes logf's reduction and polynomial, ~1 ulp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<int> bits = x.AsInt32();
        Vector256<int> exponent = (bits >> 23) - Vector256.Create(127);
        Vector256<float> m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
        Vector256<float> large = Vector256.GreaterThan(m, Vector256.Create(1.41421356f));
        m = Vector256.ConditionalSelect(large, m * 0.5f, m);
        exponent -= large.AsInt32();
        Vector256<float> e = Vector256.ConvertToSingle(exponent);

        Vector256<float> f = m - Vector256<float>.One;
        Vector256<float> z = f * f;
        Vector256<float> p = Vector256.Create(7.0376836292E-2f);
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.1514610310E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(1.1676998740E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.2420140846E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(1.4249322787E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.6668057665E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(2.0000714765E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-2.4999993993E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(3.3333331174E-1f));
        Vector256<float> y = p * f * z;
        y = Vector256.FusedMultiplyAdd(e, Vector256.Create(-2.12194440E-4f), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        return Vector256.FusedMultiplyAdd(e, Vector256.Create(0.693359375f), f + y);
    }

    /// <summary>Sine and cosine for x in [-π/4, π/4] (Cephes sinf/cosf polynomials).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        Vector256<float> z = x * x;
        Vector256<float> s = Vector256.FusedMultiplyAdd(Vector256.Create(-1.9515295891E-4f), z, Vector256.Create(8.3321608736E-3f));
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(-1.6666654611E-1f));
        sin = Vector256.FusedMultiplyAdd(s * z, x, x);

        Vector256<float> c = Vector256.FusedMultiplyAdd(Vector256.Create(2.443315711809948E-5f), z, Vector256.Create(-1.388731625493765E-3f));
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(4.166664568298827E-2f));
        c = c * z * z;
        cos = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), c) + Vector256<float>.One;
    }
}
