using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.Kernels;

/// <summary>
/// The arithmetic of one SGD row: a dot product, a scaled add and the update. Two implementations
/// side by side, chosen as a generic argument so the JIT compiles each loop with its kernel inlined.
/// </summary>
internal interface IStepKernel
{
    /// <summary>Σ a[i]·b[i].</summary>
    static abstract float Dot(ref float a, ref float b, int length);

    /// <summary>y += alpha·x.</summary>
    static abstract void AddScaled(ref float y, ref float x, float alpha, int length);

    /// <summary>
    /// y += a0·x0, then += a1·x1, += a2·x2, += a3·x3: four <see cref="AddScaled"/> calls with the same
    /// bits (each element takes the same operations in the same order), y read and written once.
    /// </summary>
    static abstract void AddScaled4(ref float y, ref float x0, float a0, ref float x1, float a1, ref float x2, float a2, ref float x3, float a3, int length);

    /// <summary>w −= scale·g, then g = 0: the SGD update that closes a minibatch.</summary>
    static abstract void ApplyAndClear(ref float weights, ref float gradient, float scale, int length);
}

/// <summary>The plain scalar reference: one multiply-add at a time, in index order.</summary>
internal readonly struct ScalarStepKernel : IStepKernel
{
    public static float Dot(ref float a, ref float b, int length)
    {
        float sum = 0f;
        for (int i = 0; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }
        return sum;
    }

    public static void AddScaled(ref float y, ref float x, float alpha, int length)
    {
        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref y, i) += alpha * Unsafe.Add(ref x, i);
        }
    }

    public static void AddScaled4(ref float y, ref float x0, float a0, ref float x1, float a1, ref float x2, float a2, ref float x3, float a3, int length)
    {
        AddScaled(ref y, ref x0, a0, length);
        AddScaled(ref y, ref x1, a1, length);
        AddScaled(ref y, ref x2, a2, length);
        AddScaled(ref y, ref x3, a3, length);
    }

    public static void ApplyAndClear(ref float weights, ref float gradient, float scale, int length)
    {
        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref weights, i) -= scale * Unsafe.Add(ref gradient, i);
            Unsafe.Add(ref gradient, i) = 0f;
        }
    }
}

/// <summary>Vector256 kernels with fused multiply-adds; a scalar tail handles lengths that are not multiples of 8.</summary>
internal readonly struct VectorStepKernel : IStepKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int length) => RowMath.Dot(ref a, ref b, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ref float y, ref float x, float alpha, int length) => RowMath.AddScaled(ref y, ref x, alpha, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled4(ref float y, ref float x0, float a0, ref float x1, float a1, ref float x2, float a2, ref float x3, float a3, int length) =>
        RowMath.AddScaled4(ref y, ref x0, a0, ref x1, a1, ref x2, a2, ref x3, a3, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ApplyAndClear(ref float weights, ref float gradient, float scale, int length)
    {
        int i = 0;
        Vector256<float> minusScale = Vector256.Create(-scale);
        for (; i + 8 <= length; i += 8)
        {
            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref gradient, (nuint)i), minusScale, Vector256.LoadUnsafe(ref weights, (nuint)i))
                .StoreUnsafe(ref weights, (nuint)i);
            Vector256<float>.Zero.StoreUnsafe(ref gradient, (nuint)i);
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref weights, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref gradient, i), -scale, Unsafe.Add(ref weights, i));
            Unsafe.Add(ref gradient, i) = 0f;
        }
    }
}
