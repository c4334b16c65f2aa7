using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The feed for rows of exactly 16 features with AVX-512: a row is one Vector512, so the weights and
/// the minibatch gradient are each one vector local to the slice rather than arrays (the JIT keeps
/// them in stack slots, as the loop holds calls; a call-free loop that kept them in registers was
/// slower: docs/benchmarks.md), and four rows' dot products are summed together (<see cref="SixteenWide"/>).
/// Each gradient element takes the same multiply-adds in the same row order as the general feed,
/// so the bits are the same (FixedWidthFeedTests compares them).
/// </summary>
internal sealed partial class MinibatchStepper<TKernel, TLoss>
{
    private const int Sixteen = SixteenWide.Features;

    private readonly bool _sixteenWide;

    /// <summary>Whether this stepper feeds through the fixed-width path.</summary>
    public bool FeedsSixteenWide => _sixteenWide;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private void FeedSixteen(ref float packed, ReadOnlySpan<int> positions, long baseRow, ref PrefetchCursor prefetch)
    {
        const int stride = Sixteen + 1;
        ref float weightsRef = ref MemoryMarshal.GetArrayDataReference(Weights);
        ref float gradientRef = ref MemoryMarshal.GetArrayDataReference(_gradient);
        Vector512<float> w = Vector512.LoadUnsafe(ref weightsRef);
        Vector512<float> g = Vector512.LoadUnsafe(ref gradientRef);
        float bias = Bias;
        float biasGradient = _biasGradient;
        int inBatch = _inBatch;
        float delta = _huberDelta;
        float stepScale = _epochRate / _batchSize;
        int batchSize = _batchSize;
        int next = 0;
        while (next < positions.Length)
        {
            if (positions.Length - next >= 4 && inBatch + 4 <= batchSize)
            {
                // Four rows of one minibatch: the same weights for all four.
                prefetch.StepFour();
                ReadOnlySpan<int> four = positions.Slice(next, 4);
                ref float row0 = ref RowAt(ref packed, baseRow + four[0], stride);
                ref float row1 = ref RowAt(ref packed, baseRow + four[1], stride);
                ref float row2 = ref RowAt(ref packed, baseRow + four[2], stride);
                ref float row3 = ref RowAt(ref packed, baseRow + four[3], stride);
                Vector512<float> x0 = Vector512.LoadUnsafe(ref row0);
                Vector512<float> x1 = Vector512.LoadUnsafe(ref row1);
                Vector512<float> x2 = Vector512.LoadUnsafe(ref row2);
                Vector512<float> x3 = Vector512.LoadUnsafe(ref row3);
                Vector512<float> dots = SixteenWide.FourDots(x0, x1, x2, x3, w);
                float gradient0 = TLoss.Gradient(dots.GetElement(0) + bias - Unsafe.Add(ref row0, Sixteen), delta);
                float gradient1 = TLoss.Gradient(dots.GetElement(4) + bias - Unsafe.Add(ref row1, Sixteen), delta);
                float gradient2 = TLoss.Gradient(dots.GetElement(8) + bias - Unsafe.Add(ref row2, Sixteen), delta);
                float gradient3 = TLoss.Gradient(dots.GetElement(12) + bias - Unsafe.Add(ref row3, Sixteen), delta);
                g = Vector512.FusedMultiplyAdd(x0, Vector512.Create(gradient0), g);
                g = Vector512.FusedMultiplyAdd(x1, Vector512.Create(gradient1), g);
                g = Vector512.FusedMultiplyAdd(x2, Vector512.Create(gradient2), g);
                g = Vector512.FusedMultiplyAdd(x3, Vector512.Create(gradient3), g);
                biasGradient = InRowOrder(biasGradient, gradient0, gradient1, gradient2, gradient3);
                next += 4;
                inBatch += 4;
            }
            else
            {
                // A minibatch ends within the next four rows (or fewer are left): one row.
                prefetch.Step();
                ref float row = ref RowAt(ref packed, baseRow + positions[next++], stride);
                Vector512<float> x = Vector512.LoadUnsafe(ref row);
                float gradient = TLoss.Gradient(SixteenWide.Dot(x, w) + bias - Unsafe.Add(ref row, Sixteen), delta);
                g = Vector512.FusedMultiplyAdd(x, Vector512.Create(gradient), g);
                biasGradient += gradient;
                inBatch++;
            }
            if (inBatch == batchSize)
            {
                CloseSixteen(ref w, ref g, ref bias, ref biasGradient, ref inBatch, ref stepScale);
            }
        }
        w.StoreUnsafe(ref weightsRef);
        g.StoreUnsafe(ref gradientRef);
        Bias = bias;
        _biasGradient = biasGradient;
        _inBatch = inBatch;
    }

    /// <summary><see cref="CloseBatch"/> on the weights and gradient held as vector locals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CloseSixteen(ref Vector512<float> w, ref Vector512<float> g, ref float bias, ref float biasGradient, ref int inBatch, ref float stepScale)
    {
        if (_ratePerUpdate)
        {
            stepScale = NextInvScaledRate() / _batchSize;
        }
        w = Vector512.FusedMultiplyAdd(g, Vector512.Create(-stepScale), w);
        g = Vector512<float>.Zero;
        bias -= stepScale * biasGradient;
        biasGradient = 0f;
        inBatch = 0;
    }
}
