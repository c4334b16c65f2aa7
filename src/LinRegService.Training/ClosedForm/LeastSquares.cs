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
/// Solves min ‖Zθ − y‖² with Z = [X 1] through the normal equations. ZᵀZ and Zᵀy are summed by
/// <see cref="GramPanel"/> in one pass over the float32 rows (never a double copy of X), over a
/// fixed number of row partitions added in order so the result does not depend on threads; MathNet.Numerics
/// then solves the small (d+1)² system by Cholesky, or by SVD when it is singular.
/// </summary>
public static class LeastSquares
{
    /// <summary>
    /// The gap between 1 and the next float32, 2⁻²³: the Gram matrix's entries are sums of float32
    /// products, so anything below about that, relative to its largest singular value, is rounding.
    /// </summary>
    private const double SumsEpsilon = 1.1920928955078125e-07;

    /// <summary>Whether the closed form is affordable for this size under the given limits.</summary>
    public static bool IsAffordable(int examples, int features, Validation.TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long columns = features + 1L;
        return features <= limits.MaxClosedFormFeatures && examples * columns * columns <= limits.MaxClosedFormWork;
    }

    /// <summary>
    /// What <see cref="Solve(Dataset, int, CancellationToken)"/> allocates for this size, or 0 when it is not affordable: per row
    /// partition its sums, per thread a panel and its products, the summed normal equations, and MathNet's solve (the
    /// dense matrix, its Cholesky factor and, for a singular one, the SVD's U, Vᵀ and work space).
    /// </summary>
    public static long EstimateBytes(int examples, int features, Validation.TrainingLimits limits)
    {
        if (!IsAffordable(examples, features, limits))
        {
            return 0;
        }
        long columns = features + 1L;
        long partitions = GramSums.PartitionsFor(examples);
        long perPartition = columns * (columns + 1) * sizeof(double);
        long panels = Math.Min(partitions, Environment.ProcessorCount) * GramPanel.BytesFor(features); // one per thread, kept by it
        long solve = 6 * columns * columns * sizeof(double);
        return (partitions * perPartition) + panels + solve;
    }

    /// <summary>The optimum on <paramref name="data"/>.</summary>
    public static ClosedFormSolution Solve(Dataset data, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
        SolveAtWidth(data, maxDegreeOfParallelism, wide: null, cancellationToken);

    /// <summary>As above, with the Gram kernel's vector width chosen (tests compare the two).</summary>
    internal static ClosedFormSolution SolveAtWidth(Dataset data, int maxDegreeOfParallelism, bool? wide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sums = new GramSums(data, wide);
        sums.SumInParallel(maxDegreeOfParallelism, cancellationToken);
        return SolveSummed(sums, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>The optimum on packed rows still in dataset order (generated straight into training's arena), with the same bits as on the <see cref="Dataset"/>.</summary>
    internal static ClosedFormSolution Solve(PackedDataset data, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sums = new GramSums(data, wide: null);
        sums.SumInParallel(maxDegreeOfParallelism, cancellationToken);
        return SolveSummed(sums, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>The optimum from the summed partitions; the loss pass at the optimum on up to <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    private static ClosedFormSolution SolveSummed(GramSums sums, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        int columns = sums.Features + 1;
        (double[] gram, double[] moment) = sums.Total();
        Vector<double> theta = SolveSymmetric(gram, moment, columns);

        float[] weights = new float[sums.Features];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)theta[i];
        }
        float bias = (float)theta[columns - 1];
        double loss = sums.Packed is { } packed
            ? LossPass.Mean<VectorStepKernel, SquaredLoss>(packed, weights, bias, 1f, maxDegreeOfParallelism, cancellationToken)
            : LossPass.Mean<VectorStepKernel>(sums.Data!, weights, bias, maxDegreeOfParallelism, cancellationToken);
        return new ClosedFormSolution(weights, bias, loss);
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
            // too (giving ∞ and NaN), so those below the usual cutoff, largest × size × ε, are dropped,
            // ε that of the float32 sums: smaller singular values are their rounding, not the data's.
            Svd<double> svd = gram.Svd(computeVectors: true);
            double cutoff = svd.S[0] * columns * SumsEpsilon;
            Vector<double> projected = svd.U.TransposeThisAndMultiply(rhs);
            for (int i = 0; i < projected.Count; i++)
            {
                projected[i] = svd.S[i] > cutoff ? projected[i] / svd.S[i] : 0.0;
            }
            return svd.VT.TransposeThisAndMultiply(projected);
        }
    }
}
