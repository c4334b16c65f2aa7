using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The mean of (ŷ − y)²/2 over a whole dataset. Squares are summed in double per fixed block of
/// rows and the blocks are added in order, so the result does not depend on the number of threads.
/// </summary>
internal static class LossPass
{
    public static double Mean<TKernel>(Dataset data, float[] weights, float bias, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where TKernel : IStepKernel
    {
        int n = data.Examples;
        int blockRows = RowBlocks.RowsPerBlock(data.FeatureCount);
        int blocks = RowBlocks.Count(n, data.FeatureCount);
        double[] partial = new double[blocks];
        if (blocks == 1)
        {
            partial[0] = SumOfSquares<TKernel>(data, weights, bias, 0, n);
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
            Parallel.For(0, blocks, options, block =>
            {
                int first = block * blockRows;
                partial[block] = SumOfSquares<TKernel>(data, weights, bias, first, Math.Min(blockRows, n - first));
            });
        }
        double total = 0;
        foreach (double value in partial)
        {
            total += value;
        }
        return total / (2.0 * n);
    }

    /// <summary>Σ (x·w + b − y)² over rows [first, first + count), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public static double SumOfSquares<TKernel>(Dataset data, float[] weights, float bias, int first, int count)
        where TKernel : IStepKernel
    {
        int d = data.FeatureCount;
        ref float x = ref MemoryMarshal.GetArrayDataReference(data.Features);
        ref float y = ref MemoryMarshal.GetArrayDataReference(data.Labels);
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        double sum = 0;
        for (int i = first; i < first + count; i++)
        {
            double residual = (double)TKernel.Dot(ref Unsafe.Add(ref x, (nint)i * d), ref w, d) + bias - Unsafe.Add(ref y, i);
            sum += residual * residual;
        }
        return sum;
    }
}
