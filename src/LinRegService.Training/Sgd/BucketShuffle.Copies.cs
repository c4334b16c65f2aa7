using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The scatter's second step for one block read: the rows copied to the places the first step
/// found, the loss riding along summed in row order, and the fetches that keep the copies from
/// waiting. Rows of exactly 16 features (one <see cref="Vector512{T}"/> and the label) take a
/// fixed-width loop with the fixed-width dot product (<see cref="SixteenWide"/>, the same bits).
/// </summary>
internal sealed partial class BucketShuffle
{
    /// <summary>How many rows ahead of its copy a row's target lines are fetched.</summary>
    private const int TargetsAhead = 8;

    /// <summary>Copies rows of 16 features to their targets and adds twice their losses to <paramref name="sum"/>, or only copies without loss weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CopySixteen<TLoss>(ref float block, ref float arena, ReadOnlySpan<nint> targets, Fetches fetch, RowLoss loss, double sum)
        where TLoss : ILoss
    {
        for (int r = 0; r < targets.Length; r++)
        {
            fetch.WhileCopying(ref arena, targets, r);
            ref float row = ref Unsafe.Add(ref block, (nint)r * (SixteenWide.Features + 1));
            ref float to = ref Unsafe.Add(ref arena, targets[r]);
            Vector512<float> x = Vector512.LoadUnsafe(ref row);
            float label = Unsafe.Add(ref row, SixteenWide.Features);
            x.StoreUnsafe(ref to);
            Unsafe.Add(ref to, SixteenWide.Features) = label;
            if (loss.Applies)
            {
                double residual = (double)SixteenWide.Dot(x, loss.Sixteen) + loss.Bias - label;
                sum += TLoss.TwiceLoss(residual, loss.Delta);
            }
        }
        return sum;
    }

    /// <summary>The same for rows of any width, with the kernel's dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CopyRows<TKernel, TLoss>(ref float block, ref float arena, ReadOnlySpan<nint> targets, Fetches fetch, RowLoss loss, float[]? weights, double sum)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        int stride = fetch.Stride;
        for (int r = 0; r < targets.Length; r++)
        {
            fetch.WhileCopying(ref arena, targets, r);
            ref float row = ref Unsafe.Add(ref block, (nint)r * stride);
            RowMath.Copy(ref Unsafe.Add(ref arena, targets[r]), ref row, stride);
            if (loss.Applies)
            {
                double residual = (double)TKernel.Dot(ref row, ref weights![0], stride - 1) + loss.Bias - Unsafe.Add(ref row, stride - 1);
                sum += TLoss.TwiceLoss(residual, loss.Delta);
            }
        }
        return sum;
    }

    /// <summary>The loss that rides on the scatter's read; <see cref="Applies"/> is false without weights.</summary>
    private readonly struct RowLoss(float[]? weights, float bias, float delta, bool sixteen)
    {
        public bool Applies { get; } = weights is not null;

        /// <summary>The weights as one vector, for rows of 16 features.</summary>
        public Vector512<float> Sixteen { get; } = sixteen && weights is not null ? Vector512.Create(weights) : default;

        public float Bias { get; } = bias;

        public float Delta { get; } = delta;
    }

    /// <summary>
    /// Fetches while a block's rows are copied: each row's target lines (a store otherwise waits for
    /// its line to be read) <see cref="TargetsAhead"/> rows before its copy, and the next block read
    /// (none: a null reference) into L2, a few lines a row. A no-op without the prefetch instruction
    /// or outside a native arena.
    /// </summary>
    private readonly unsafe struct Fetches(bool native, ref float nextBlock, long blockBytes, int linesPerRow, int stride)
    {
        private readonly bool _on = native && Sse.IsSupported;
        private readonly byte* _nextBlock = Unsafe.IsNullRef(ref nextBlock) ? null : (byte*)Unsafe.AsPointer(ref nextBlock);

        public int Stride { get; } = stride;

        /// <summary>The lines of the rows copied before <see cref="WhileCopying"/> starts fetching ahead.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void FirstTargets(ref float arena, ReadOnlySpan<nint> targets)
        {
            if (!_on)
            {
                return;
            }
            foreach (nint target in targets)
            {
                FetchRow((float*)Unsafe.AsPointer(ref arena) + target);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WhileCopying(ref float arena, ReadOnlySpan<nint> targets, int r)
        {
            if (!_on)
            {
                return;
            }
            if (r + TargetsAhead < targets.Length)
            {
                FetchRow((float*)Unsafe.AsPointer(ref arena) + targets[r + TargetsAhead]);
            }
            if (_nextBlock != null)
            {
                for (long line = (long)r * linesPerRow * 64, end = Math.Min(blockBytes, line + (linesPerRow * 64L)); line < end; line += 64)
                {
                    Sse.Prefetch1(_nextBlock + line);
                }
            }
        }

        /// <summary>A row's first and last lines (a row of 17 floats spans two).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void FetchRow(float* row)
        {
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + Stride - 1);
        }
    }
}
