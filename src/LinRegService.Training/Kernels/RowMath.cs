using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.Kernels;

/// <summary>
/// Vector256 row primitives shared by the generator, the trainer and the loss. Hand-written
/// rather than TensorPrimitives because they run once per row on spans as short as two values,
/// where a library call's fixed cost dominates, and because their summation order is fixed.
/// </summary>
internal static class RowMath
{
    /// <summary>Σ a[i]·b[i] for i &lt; length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int length)
    {
        int i = 0;
        float sum = 0f;
        if (length >= 8)
        {
            Vector256<float> acc0 = Vector256<float>.Zero;
            Vector256<float> acc1 = Vector256<float>.Zero;
            if (length >= 64)
            {
                // Four independent chains: a long row is bound by FMA latency with fewer.
                Vector256<float> acc2 = Vector256<float>.Zero;
                Vector256<float> acc3 = Vector256<float>.Zero;
                for (; i + 32 <= length; i += 32)
                {
                    acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc0);
                    acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(i + 8)), Vector256.LoadUnsafe(ref b, (nuint)(i + 8)), acc1);
                    acc2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(i + 16)), Vector256.LoadUnsafe(ref b, (nuint)(i + 16)), acc2);
                    acc3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(i + 24)), Vector256.LoadUnsafe(ref b, (nuint)(i + 24)), acc3);
                }
                acc0 += acc2;
                acc1 += acc3;
            }
            for (; i + 16 <= length; i += 16)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(i + 8)), Vector256.LoadUnsafe(ref b, (nuint)(i + 8)), acc1);
            }
            if (i + 8 <= length)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc0);
                i += 8;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), sum);
        }
        return sum;
    }

    /// <summary>y[i] += alpha·x[i] for i &lt; length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ref float y, ref float x, float alpha, int length)
    {
        int i = 0;
        if (length >= 8)
        {
            Vector256<float> a = Vector256.Create(alpha);
            for (; i + 8 <= length; i += 8)
            {
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), a, Vector256.LoadUnsafe(ref y, (nuint)i))
                    .StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref y, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i), alpha, Unsafe.Add(ref y, i));
        }
    }

    /// <summary>
    /// y[i] += a0·x0[i], then += a1·x1[i], += a2·x2[i], += a3·x3[i], each a fused multiply-add as in
    /// <see cref="AddScaled"/>, so the bits are those of four calls of it; y is loaded and stored
    /// once per vector instead of four times (the minibatch gradient's chain through memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled4(ref float y, ref float x0, float a0, ref float x1, float a1, ref float x2, float a2, ref float x3, float a3, int length)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && length >= 16)
        {
            // Element by element the same operations, so the width does not change the bits.
            Vector512<float> b0 = Vector512.Create(a0), b1 = Vector512.Create(a1), b2 = Vector512.Create(a2), b3 = Vector512.Create(a3);
            for (; i + 16 <= length; i += 16)
            {
                Vector512<float> sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)i), b0, Vector512.LoadUnsafe(ref y, (nuint)i));
                sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x1, (nuint)i), b1, sum);
                sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x2, (nuint)i), b2, sum);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x3, (nuint)i), b3, sum).StoreUnsafe(ref y, (nuint)i);
            }
        }
        if (length - i >= 8)
        {
            Vector256<float> b0 = Vector256.Create(a0), b1 = Vector256.Create(a1), b2 = Vector256.Create(a2), b3 = Vector256.Create(a3);
            for (; i + 8 <= length; i += 8)
            {
                Vector256<float> sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i), b0, Vector256.LoadUnsafe(ref y, (nuint)i));
                sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, (nuint)i), b1, sum);
                sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x2, (nuint)i), b2, sum);
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x3, (nuint)i), b3, sum).StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            float sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x0, i), a0, Unsafe.Add(ref y, i));
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x1, i), a1, sum);
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x2, i), a2, sum);
            Unsafe.Add(ref y, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref x3, i), a3, sum);
        }
    }

    /// <summary>destination[i] = source[i] for i &lt; length (a row copy too short for memmove to pay).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref float destination, ref float source, int length)
    {
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
        }
    }
}
