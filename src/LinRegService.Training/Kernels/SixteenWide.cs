using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LinRegService.Training.Kernels;

/// <summary>
/// Dot products of rows of exactly 16 features with AVX-512, where a row is one Vector512: with the
/// bits of <see cref="RowMath.Dot"/> (two Vector256 products added, then
/// <see cref="Vector256.Sum{T}(Vector256{T})"/>: each quarter's pairs, then the two quarters), so
/// the trainer, the loss and the scatter may take it wherever it applies. Four rows at a time,
/// the rows' halves and quarters are regrouped with lane shuffles so that one vector add does each
/// step of the sum for all four (FixedWidthFeedTests and SixteenWideTests compare the bits).
/// </summary>
internal static class SixteenWide
{
    public const int Features = 16;

    /// <summary>Whether the fixed-width path applies: 16 features, AVX-512 and the vector kernel (the scalar reference keeps its own order).</summary>
    public static bool Applies<TKernel>(int features)
        where TKernel : IStepKernel =>
        features == Features && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && typeof(TKernel) == typeof(VectorStepKernel);

    /// <summary>Σ x[i]·w[i], as <see cref="RowMath.Dot"/> sums 16 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(Vector512<float> x, Vector512<float> w)
    {
        Vector512<float> products = Vector512.FusedMultiplyAdd(x, w, Vector512<float>.Zero);
        return Vector256.Sum(products.GetLower() + products.GetUpper());
    }

    /// <summary>
    /// The dot products of four rows with the weights, in lanes 0, 4, 8 and 12. A row's products
    /// are quarters A B C D; <see cref="RowMath.Dot"/> adds A+C and B+D (its two Vector256 halves),
    /// then within each quarter lanes (0+1, 2+3), then those two, then the two quarters. Here the
    /// A+C quarters of the four rows are gathered into one vector and the B+D quarters into
    /// another, so each step runs once for all four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FourDots(Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3, Vector512<float> w)
    {
        const byte firstAndThird = 0b10_00_10_00; // quarters 0 and 2 of each source
        const byte secondAndFourth = 0b11_01_11_01;
        Vector512<float> p0 = Vector512.FusedMultiplyAdd(x0, w, Vector512<float>.Zero);
        Vector512<float> p1 = Vector512.FusedMultiplyAdd(x1, w, Vector512<float>.Zero);
        Vector512<float> p2 = Vector512.FusedMultiplyAdd(x2, w, Vector512<float>.Zero);
        Vector512<float> p3 = Vector512.FusedMultiplyAdd(x3, w, Vector512<float>.Zero);
        Vector512<float> ac01 = Avx512F.Shuffle4x128(p0, p1, firstAndThird);   // A0 C0 A1 C1
        Vector512<float> ac23 = Avx512F.Shuffle4x128(p2, p3, firstAndThird);   // A2 C2 A3 C3
        Vector512<float> bd01 = Avx512F.Shuffle4x128(p0, p1, secondAndFourth); // B0 D0 B1 D1
        Vector512<float> bd23 = Avx512F.Shuffle4x128(p2, p3, secondAndFourth); // B2 D2 B3 D3
        Vector512<float> lower = Avx512F.Shuffle4x128(ac01, ac23, firstAndThird) + Avx512F.Shuffle4x128(ac01, ac23, secondAndFourth); // Ar + Cr
        Vector512<float> upper = Avx512F.Shuffle4x128(bd01, bd23, firstAndThird) + Avx512F.Shuffle4x128(bd01, bd23, secondAndFourth); // Br + Dr
        return QuarterSums(lower) + QuarterSums(upper);
    }

    /// <summary>In each quarter, lane 0 becomes (q2 + q3) + (q0 + q1): the order of <see cref="Vector128.Sum{T}(Vector128{T})"/> as the JIT emits it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> QuarterSums(Vector512<float> quarters)
    {
        Vector512<float> pairs = Avx512F.Permute4x32(quarters, 0b10_11_00_01) + quarters;
        return Avx512F.Permute4x32(pairs, 0b01_00_11_10) + pairs;
    }
}
