using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
public sealed record ClosedFormSolution(float[] Weights, float Bias, double Loss)
{
    /// <summary>Whether every weight, the bias and the loss are finite (JSON and float32 clients can hold them).</summary>
    public bool IsFinite => float.IsFinite(Bias) && double.IsFinite(Loss) && Array.TrueForAll(Weights, float.IsFinite);
}

/// <summary>
/// Solves min ‖Zθ − y‖² with Z = [X 1] through the normal equations. ZᵀZ and Zᵀy are summed in
/// double in one pass over the float32 rows (never a double copy of X), over a fixed number of
/// row partitions added in order so the result does not depend on threads; MathNet.Numerics
/// then solves the small (d+1)² system by Cholesky, or by SVD when it is singular.
/// </summary>
public static class LeastSquares
{
    private const int Partitions = 16;
    private const int TileRows = 128;

    /// <summary>The gap between 1 and the next double, 2⁻⁵².</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Whether the closed form is affordable for this size under the given limits.</summary>
    public static bool IsAffordable(int examples, int features, Validation.TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long columns = features + 1L;
        return features <= limits.MaxClosedFormFeatures && examples * columns * columns <= limits.MaxClosedFormWork;
    }

    /// <summary>
    /// What <see cref="Solve"/> allocates for this size, or 0 when it is not affordable: per row
    /// partition the products and a tile, the summed normal equations, and MathNet's solve (the
    /// dense matrix, its Cholesky factor and, for a singular one, the SVD's U, Vᵀ and work space).
    /// </summary>
    public static long EstimateBytes(int examples, int features, Validation.TrainingLimits limits)
    {
        if (!IsAffordable(examples, features, limits))
        {
            return 0;
        }
        long columns = features + 1L;
        long augmented = columns + 1;
        long partitions = Math.Min(Partitions, Math.Max(1, examples / 1024));
        long perPartition = (augmented * augmented * sizeof(double)) + (augmented * TileRows * sizeof(float)) + (columns * (columns + 1) * sizeof(double));
        long solve = 6 * columns * columns * sizeof(double);
        return (partitions * perPartition) + solve;
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

    /// <summary>
    /// Upper triangle of ZᵀZ and Zᵀy over rows [first, first + count). Rows are taken
    /// <see cref="TileRows"/> at a time into a column-major float tile with the label as one more
    /// column, so every entry, the moments included, is a dot product of two contiguous columns.
    /// The products run eight to a Vector256 in float32 (the data's own precision; each lane sums
    /// only TileRows/8 of them) and every tile's sums are widened and added in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    private static (double[] Gram, double[] Moment) Accumulate(Dataset data, int first, int count, CancellationToken cancellationToken)
    {
        int d = data.FeatureCount;
        int columns = d + 1;
        int augmented = columns + 1;
        double[] products = new double[augmented * augmented];
        float[] tile = new float[augmented * TileRows];
        ref float t = ref MemoryMarshal.GetArrayDataReference(tile);
        // Look at the token about every 2^22 multiply-adds (each tile costs TileRows·augmented²/2).
        int tilesPerCheck = Math.Max(1, (1 << 22) / (TileRows * augmented * augmented / 2));
        for (int start = 0, tileIndex = 0; start < count; start += TileRows, tileIndex++)
        {
            if (tileIndex % tilesPerCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            int rows = Math.Min(TileRows, count - start);
            if (rows < TileRows)
            {
                Array.Clear(tile); // padding rows are all zero, the constant column included, so they add nothing
            }
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = data.Row(first + start + r);
                for (int j = 0; j < d; j++)
                {
                    Unsafe.Add(ref t, (j * TileRows) + r) = row[j];
                }
                Unsafe.Add(ref t, (d * TileRows) + r) = 1f;
                Unsafe.Add(ref t, (columns * TileRows) + r) = data.Labels[first + start + r];
            }
            AddTile(products, tile, augmented);
        }

        double[] gram = new double[columns * columns];
        double[] moment = new double[columns];
        for (int i = 0; i < columns; i++)
        {
            products.AsSpan(i * augmented, columns).CopyTo(gram.AsSpan(i * columns, columns));
            moment[i] = products[(i * augmented) + columns];
        }
        return (gram, moment);
    }

    /// <summary>
    /// products[i, j≥i] += column i · column j of a column-major tile of <see cref="TileRows"/>
    /// rows: two left columns against four right ones at a time, so six loads feed eight
    /// multiply-adds (entries left of the diagonal that a pair computes are simply not read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTile(double[] products, float[] tile, int columns)
    {
        ref float t = ref MemoryMarshal.GetArrayDataReference(tile);
        ref double p = ref MemoryMarshal.GetArrayDataReference(products);
        for (int i = 0; i < columns; i += 2)
        {
            ref float left0 = ref Unsafe.Add(ref t, i * TileRows);
            bool pair = i + 1 < columns;
            ref float left1 = ref pair ? ref Unsafe.Add(ref left0, TileRows) : ref left0;
            int j = i;
            for (; j + 4 <= columns; j += 4)
            {
                ref float c0 = ref Unsafe.Add(ref t, j * TileRows);
                ref float c1 = ref Unsafe.Add(ref c0, TileRows);
                ref float c2 = ref Unsafe.Add(ref c1, TileRows);
                ref float c3 = ref Unsafe.Add(ref c2, TileRows);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
                for (nuint r = 0; r < TileRows; r += 8)
                {
                    Vector256<float> u = Vector256.LoadUnsafe(ref left0, r);
                    Vector256<float> v = Vector256.LoadUnsafe(ref left1, r);
                    Vector256<float> x0 = Vector256.LoadUnsafe(ref c0, r);
                    Vector256<float> x1 = Vector256.LoadUnsafe(ref c1, r);
                    Vector256<float> x2 = Vector256.LoadUnsafe(ref c2, r);
                    Vector256<float> x3 = Vector256.LoadUnsafe(ref c3, r);
                    a0 = Vector256.FusedMultiplyAdd(u, x0, a0);
                    a1 = Vector256.FusedMultiplyAdd(u, x1, a1);
                    a2 = Vector256.FusedMultiplyAdd(u, x2, a2);
                    a3 = Vector256.FusedMultiplyAdd(u, x3, a3);
                    b0 = Vector256.FusedMultiplyAdd(v, x0, b0);
                    b1 = Vector256.FusedMultiplyAdd(v, x1, b1);
                    b2 = Vector256.FusedMultiplyAdd(v, x2, b2);
                    b3 = Vector256.FusedMultiplyAdd(v, x3, b3);
                }
                ref double row0 = ref Unsafe.Add(ref p, (i * columns) + j);
                row0 += SumInDouble(a0);
                Unsafe.Add(ref row0, 1) += SumInDouble(a1);
                Unsafe.Add(ref row0, 2) += SumInDouble(a2);
                Unsafe.Add(ref row0, 3) += SumInDouble(a3);
                if (pair)
                {
                    ref double row1 = ref Unsafe.Add(ref row0, columns);
                    row1 += SumInDouble(b0);
                    Unsafe.Add(ref row1, 1) += SumInDouble(b1);
                    Unsafe.Add(ref row1, 2) += SumInDouble(b2);
                    Unsafe.Add(ref row1, 3) += SumInDouble(b3);
                }
            }
            for (; j < columns; j++)
            {
                ref float right = ref Unsafe.Add(ref t, j * TileRows);
                Vector256<float> a = default, b = default;
                for (nuint r = 0; r < TileRows; r += 8)
                {
                    Vector256<float> x = Vector256.LoadUnsafe(ref right, r);
                    a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref left0, r), x, a);
                    b = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref left1, r), x, b);
                }
                Unsafe.Add(ref p, (i * columns) + j) += SumInDouble(a);
                if (pair)
                {
                    Unsafe.Add(ref p, ((i + 1) * columns) + j) += SumInDouble(b);
                }
            }
        }
    }

    /// <summary>The eight lanes added in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumInDouble(Vector256<float> lanes)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(lanes);
        return Vector256.Sum(lower + upper);
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
