using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace LinRegService.Training.ClosedForm;

/// <summary>The least-squares optimum on the same data: the best fit SGD could reach.</summary>
/// <param name="Weights">Optimal weights.</param>
/// <param name="Bias">Optimal bias.</param>
/// <param name="Loss">Mean (ŷ − y)²/2 over the dataset at the optimum.</param>
public sealed record ClosedFormSolution(float[] Weights, float Bias, double Loss);

/// <summary>
/// Solves min ‖Zθ − y‖² with Z = [X 1] through the normal equations. ZᵀZ and Zᵀy are summed in
/// double in one pass over the float32 rows (never a double copy of X), over a fixed number of
/// row partitions added in order so the result does not depend on threads; MathNet.Numerics
/// then solves the small (d+1)² system by Cholesky, or by SVD when it is singular.
/// </summary>
public static class LeastSquares
{
    private const int Partitions = 16;
    private const int TileRows = 8;

    /// <summary>The gap between 1 and the next double, 2⁻⁵².</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Whether the closed form is affordable for this size under the given limits.</summary>
    public static bool IsAffordable(int examples, int features, Validation.TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long columns = features + 1L;
        return features <= limits.MaxClosedFormFeatures && examples * columns * columns <= limits.MaxClosedFormWork;
    }

    /// <summary>The optimum on <paramref name="data"/>.</summary>
    public static ClosedFormSolution Solve(Dataset data, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        int columns = data.FeatureCount + 1;
        int partitions = Math.Min(Partitions, Math.Max(1, data.Examples / 1024));
        var gram = new double[partitions][];
        var moment = new double[partitions][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, partitions, options, p =>
        {
            long first = (long)data.Examples * p / partitions;
            long end = (long)data.Examples * (p + 1) / partitions;
            (gram[p], moment[p]) = Accumulate(data, (int)first, (int)(end - first), cancellationToken);
        });

        for (int p = 1; p < partitions; p++)
        {
            AddInto(gram[0], gram[p]);
            AddInto(moment[0], moment[p]);
        }
        Vector<double> theta = SolveSymmetric(gram[0], moment[0], columns);

        float[] weights = new float[data.FeatureCount];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)theta[i];
        }
        float bias = (float)theta[columns - 1];
        double loss = LossPass.Mean<VectorStepKernel>(data, weights, bias, maxDegreeOfParallelism, cancellationToken);
        return new ClosedFormSolution(weights, bias, loss);
    }

    /// <summary>Upper triangle of ZᵀZ and Zᵀy over rows [first, first + count), eight rows per tile.</summary>
    private static (double[] Gram, double[] Moment) Accumulate(Dataset data, int first, int count, CancellationToken cancellationToken)
    {
        int d = data.FeatureCount;
        int columns = d + 1;
        double[] gram = new double[columns * columns];
        double[] moment = new double[columns];
        double[] tileValues = new double[TileRows * columns];
        double[] labels = new double[TileRows];
        // Look at the token about every 2^20 multiply-adds (each tile costs 8·columns²/2).
        int tilesPerCheck = Math.Max(1, (1 << 20) / (TileRows * columns * columns / 2));
        for (int start = 0, tile = 0; start < count; start += TileRows, tile++)
        {
            if (tile % tilesPerCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            int rows = Math.Min(TileRows, count - start);
            Array.Clear(tileValues);
            Array.Clear(labels);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = data.Row(first + start + r);
                for (int j = 0; j < d; j++)
                {
                    tileValues[(r * columns) + j] = row[j];
                }
                tileValues[(r * columns) + d] = 1.0;
                labels[r] = data.Labels[first + start + r];
            }
            AddTile(gram, moment, tileValues, labels, columns);
        }
        return (gram, moment);
    }

    /// <summary>gram[i, j≥i] += Σ_r tile[r,i]·tile[r,j]; moment[i] += Σ_r tile[r,i]·y[r].</summary>
    private static void AddTile(double[] gram, double[] moment, double[] tile, double[] labels, int columns)
    {
        for (int i = 0; i < columns; i++)
        {
            Span<double> gramRow = gram.AsSpan(i * columns, columns);
            int j = i;
            for (; j + 4 <= columns; j += 4)
            {
                Vector256<double> acc = Vector256.Create(gramRow.Slice(j, 4));
                for (int r = 0; r < TileRows; r++)
                {
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(tile[(r * columns) + i]), Vector256.Create(tile.AsSpan((r * columns) + j, 4)), acc);
                }
                acc.CopyTo(gramRow.Slice(j, 4));
            }
            for (; j < columns; j++)
            {
                double sum = gramRow[j];
                for (int r = 0; r < TileRows; r++)
                {
                    sum += tile[(r * columns) + i] * tile[(r * columns) + j];
                }
                gramRow[j] = sum;
            }
            double m = moment[i];
            for (int r = 0; r < TileRows; r++)
            {
                m += tile[(r * columns) + i] * labels[r];
            }
            moment[i] = m;
        }
    }

    private static Vector<double> SolveSymmetric(double[] upper, double[] moment, int columns)
    {
        Matrix<double> gram = Matrix<double>.Build.Dense(columns, columns, (i, j) => upper[(Math.Min(i, j) * columns) + Math.Max(i, j)]);
        Vector<double> rhs = Vector<double>.Build.DenseOfArray(moment);
        try
        {
            return gram.Cholesky().Solve(rhs);
        }
        catch (ArgumentException)
        {
            // Singular (fewer rows than columns, or collinear features): the minimum-norm least-squares
            // solution through the pseudo-inverse. Svd.Solve would divide by the zero singular values
            // too (giving ∞ and NaN), so those below the usual cutoff, largest × size × ε, are dropped.
            Svd<double> svd = gram.Svd(computeVectors: true);
            double cutoff = svd.S[0] * columns * MachineEpsilon;
            Vector<double> projected = svd.U.TransposeThisAndMultiply(rhs);
            for (int i = 0; i < projected.Count; i++)
            {
                projected[i] = svd.S[i] > cutoff ? projected[i] / svd.S[i] : 0.0;
            }
            return svd.VT.TransposeThisAndMultiply(projected);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(double[] target, double[] source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}
