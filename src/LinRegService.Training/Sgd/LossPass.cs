using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The mean of a loss (the book's (ŷ − y)²/2 or another <see cref="ILoss"/>) over a whole dataset.
/// Twice each row's loss is summed in double per fixed block of rows and the blocks are added in
/// order, so the result does not depend on the number of threads.
/// </summary>
internal static class LossPass
{
    /// <summary>The mean squared loss (ŷ − y)²/2.</summary>
    public static double Mean<TKernel>(Dataset data, float[] weights, float bias, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TKernel : IStepKernel =>
        Mean<TKernel, SquaredLoss>(data, weights, bias, 1f, maxDegreeOfParallelism, cancellationToken);

    /// <summary>The mean of <typeparamref name="TLoss"/> (Huber's δ = <paramref name="delta"/>).</summary>
    public static double Mean<TKernel, TLoss>(Dataset data, float[] weights, float bias, float delta, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        int n = data.Examples;
        int blockRows = RowBlocks.RowsPerBlock(data.FeatureCount);
        int blocks = RowBlocks.Count(n, data.FeatureCount);
        double[] partial = new double[blocks];
        if (blocks == 1)
        {
            partial[0] = SumOfTwiceLosses<TKernel, TLoss>(data, weights, bias, delta, 0, n);
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
            Parallel.For(0, blocks, options, block =>
            {
                int first = block * blockRows;
                partial[block] = SumOfTwiceLosses<TKernel, TLoss>(data, weights, bias, delta, first, Math.Min(blockRows, n - first));
            });
        }
        double total = 0;
        foreach (double value in partial)
        {
            total += value;
        }
        return total / (2.0 * n);
    }

    /// <summary>
    /// The mean of <typeparamref name="TLoss"/> over packed rows in any order. Rows still in dataset
    /// order are summed in the same fixed blocks of rows as a <see cref="Dataset"/>'s, with the same
    /// bits; a shuffled order in units of whole arena blocks taken in the layout's order.
    /// </summary>
    public static double Mean<TKernel, TLoss>(PackedDataset data, float[] weights, float bias, float delta, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        RowLayout layout = data.Layout;
        int n = data.Examples;
        int rowsPerUnit = RowBlocks.RowsPerBlock(data.Features);
        int blocksPerUnit = Math.Max(1, rowsPerUnit / data.Arena.RowsPerBlock);
        int units = layout.IsInOrder
            ? RowBlocks.Count(n, data.Features)
            : Math.Max(1, (layout.BlockCount + blocksPerUnit - 1) / blocksPerUnit);
        double[] partial = new double[units];
        double Unit(int unit)
        {
            if (layout.IsInOrder)
            {
                int first = unit * rowsPerUnit;
                PrefetchCursor none = default;
                return SumOfTwiceLosses<TKernel, TLoss>(ref data.InOrderRow(first), data.Stride, data.Features, weights, bias, delta, Math.Min(rowsPerUnit, n - first), 0, ref none);
            }
            double sum = 0;
            int end = Math.Min((unit + 1) * blocksPerUnit, layout.BlockCount);
            long blockBytes = (long)data.Arena.RowsPerBlock * data.Stride * sizeof(float);
            for (int index = unit * blocksPerUnit, bucket = index < end ? layout.BucketOfBlock(index) : 0; index < end; index++)
            {
                int rows = layout.RowsInBlockWalking(index, ref bucket);
                // The next block is elsewhere in the arena: fetched while this one is summed, as the
                // hardware's prefetchers only follow a stream within a page and ramp up again at each block.
                PrefetchCursor ahead = data.Arena.IsNative && index + 1 < end
                    ? new PrefetchCursor(ref data.Slot(0), layout.Blocks.AsSpan(index + 1, 1), blockBytes, blockBytes, rows)
                    : default;
                ref float block = ref data.Slot(layout.Blocks[index] * data.Arena.RowsPerBlock);
                sum = SumOfTwiceLosses<TKernel, TLoss>(ref block, data.Stride, data.Features, weights, bias, delta, rows, sum, ref ahead);
            }
            return sum;
        }
        if (units == 1 || n == 0)
        {
            partial[0] = n == 0 ? 0 : Unit(0);
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
            Parallel.For(0, units, options, unit => partial[unit] = Unit(unit));
        }
        double total = 0;
        foreach (double value in partial)
        {
            total += value;
        }
        return total / (2.0 * n);
    }

    /// <summary>
    /// <paramref name="sum"/> + Σ 2·L(x·w + b − y) over <paramref name="count"/> rows of <paramref name="stride"/>
    /// values from <paramref name="rows"/> on, the label at <paramref name="features"/> in each: one running sum
    /// across a unit's blocks, as the scatter's read pass adds them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private static double SumOfTwiceLosses<TKernel, TLoss>(ref float rows, int stride, int features, float[] weights, float bias, float delta, int count, double sum,
        ref PrefetchCursor ahead)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        if (SixteenWide.Applies<TKernel>(features))
        {
            return SumOfTwiceLossesSixteen<TLoss>(ref rows, stride, Vector512.LoadUnsafe(ref w), bias, delta, count, sum, ref ahead);
        }
        for (int i = 0; i < count; i++)
        {
            ahead.Step();
            ref float row = ref Unsafe.Add(ref rows, (nint)i * stride);
            double residual = (double)TKernel.Dot(ref row, ref w, features) + bias - Unsafe.Add(ref row, features);
            sum += TLoss.TwiceLoss(residual, delta);
        }
        return sum;
    }

    /// <summary>
    /// <see cref="SumOfTwiceLosses{TKernel, TLoss}(ref float, int, int, float[], float, float, int, double, ref PrefetchCursor)"/>
    /// for 16 features: four rows' dot products at a time (<see cref="SixteenWide"/>), with the same
    /// bits; the losses are added in row order as there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumOfTwiceLossesSixteen<TLoss>(ref float rows, int stride, Vector512<float> w, float bias, float delta, int count, double sum, ref PrefetchCursor ahead)
        where TLoss : ILoss
    {
        const int features = SixteenWide.Features;
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            ahead.StepFour();
            ref float row0 = ref Unsafe.Add(ref rows, (nint)i * stride);
            ref float row1 = ref Unsafe.Add(ref row0, stride);
            ref float row2 = ref Unsafe.Add(ref row1, stride);
            ref float row3 = ref Unsafe.Add(ref row2, stride);
            Vector512<float> dots = SixteenWide.FourDots(Vector512.LoadUnsafe(ref row0), Vector512.LoadUnsafe(ref row1), Vector512.LoadUnsafe(ref row2), Vector512.LoadUnsafe(ref row3), w);
            sum += TLoss.TwiceLoss((double)dots.GetElement(0) + bias - Unsafe.Add(ref row0, features), delta);
            sum += TLoss.TwiceLoss((double)dots.GetElement(4) + bias - Unsafe.Add(ref row1, features), delta);
            sum += TLoss.TwiceLoss((double)dots.GetElement(8) + bias - Unsafe.Add(ref row2, features), delta);
            sum += TLoss.TwiceLoss((double)dots.GetElement(12) + bias - Unsafe.Add(ref row3, features), delta);
        }
        for (; i < count; i++)
        {
            ahead.Step();
            ref float row = ref Unsafe.Add(ref rows, (nint)i * stride);
            sum += TLoss.TwiceLoss((double)SixteenWide.Dot(Vector512.LoadUnsafe(ref row), w) + bias - Unsafe.Add(ref row, features), delta);
        }
        return sum;
    }

    /// <summary>Σ (x·w + b − y)² over rows [first, first + count), in double.</summary>
    public static double SumOfSquares<TKernel>(Dataset data, float[] weights, float bias, int first, int count)
        where TKernel : IStepKernel =>
        SumOfTwiceLosses<TKernel, SquaredLoss>(data, weights, bias, 1f, first, count);

    /// <summary>Σ 2·L(x·w + b − y) over rows [first, first + count), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public static double SumOfTwiceLosses<TKernel, TLoss>(Dataset data, float[] weights, float bias, float delta, int first, int count)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        int d = data.FeatureCount;
        ref float x = ref MemoryMarshal.GetArrayDataReference(data.Features);
        ref float y = ref MemoryMarshal.GetArrayDataReference(data.Labels);
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        double sum = 0;
        for (int i = first; i < first + count; i++)
        {
            double residual = (double)TKernel.Dot(ref Unsafe.Add(ref x, (nint)i * d), ref w, d) + bias - Unsafe.Add(ref y, i);
            sum += TLoss.TwiceLoss(residual, delta);
        }
        return sum;
    }
}
