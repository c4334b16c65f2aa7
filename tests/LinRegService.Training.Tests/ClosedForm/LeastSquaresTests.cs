using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LinRegService.Training.Tests.ClosedForm;

/// <summary>LeastSquares.Solve finds the optimum SGD is heading for.</summary>
public class LeastSquaresTests
{
    [Fact]
    public void Noiseless_data_give_back_the_true_parameters()
    {
        DatasetSpec spec = new([2f, -3.4f, 0.5f, 7f, -0.25f], 4.2f, 2_000, 0f, 1f, Seed: 1);
        Dataset data = DatasetGenerator.Generate(spec);

        ClosedFormSolution solution = LeastSquares.Solve(data);

        // Only the labels' float32 rounding (a few 1e-7 of |y| ≲ 30) separates the data from the
        // plane; a well-conditioned 2000-row fit turns that into errors near 1e-7, so 1e-4 is safe.
        for (int i = 0; i < spec.Features; i++)
        {
            Assert.InRange(solution.Weights[i], spec.Weights[i] - 1e-4f, spec.Weights[i] + 1e-4f);
        }
        Assert.InRange(solution.Bias, spec.Bias - 1e-4f, spec.Bias + 1e-4f);
        Assert.InRange(solution.Loss, 0, 1e-10);
    }

    [Fact]
    public void It_matches_an_independent_float64_QR_solve()
    {
        DatasetSpec spec = new([1f, -2f, 0.5f, 3f, 0f, -1f, 2f], 0.7f, 3_000, 0.3f, 0.5f, Seed: 2);
        Dataset data = DatasetGenerator.Generate(spec);

        ClosedFormSolution solution = LeastSquares.Solve(data);
        Vector<double> reference = DesignMatrix(data).QR().Solve(Vector<double>.Build.Dense(data.Labels.Select(y => (double)y).ToArray()));

        // Both solve the same float64 problem; the normal equations square a condition number near 1
        // here, and the result is rounded to float32 (6e-8 relative): 1e-5 absolute is ample.
        for (int i = 0; i < spec.Features; i++)
        {
            Assert.InRange(solution.Weights[i], reference[i] - 1e-5, reference[i] + 1e-5);
        }
        Assert.InRange(solution.Bias, reference[spec.Features] - 1e-5, reference[spec.Features] + 1e-5);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(10, 10)] // ten rows, eleven unknowns: still one short
    [InlineData(3, 64)]
    public void Fewer_rows_than_unknowns_still_give_a_finite_exact_fit(int examples, int features)
    {
        DatasetSpec spec = new([.. Enumerable.Range(0, features).Select(i => i - 4.5f)], 1.5f, examples, 0.01f, 1f, Seed: 3);
        Dataset data = DatasetGenerator.Generate(spec);

        ClosedFormSolution solution = LeastSquares.Solve(data);

        Assert.All(solution.Weights, w => Assert.True(float.IsFinite(w), $"weight {w}"));
        Assert.True(float.IsFinite(solution.Bias), $"bias {solution.Bias}");
        // With more unknowns than rows some exact fit exists; the solution must be one of them, up
        // to float32 rounding (the parameters, the labels and the Gram products are all float32, about
        // 6e-8 relative): residuals within 1e-6 of the largest label. A wrong fit is off by whole units.
        double scale = data.Labels.Max(y => Math.Abs((double)y));
        Assert.InRange(solution.Loss, 0, 0.5 * Math.Pow(1e-6 * scale, 2));
    }

    [Fact]
    public void Collinear_features_give_a_finite_optimum()
    {
        // The second feature repeats the first: ZᵀZ is singular whatever the number of rows.
        Dataset original = DatasetGenerator.Generate(new DatasetSpec([2f, 1f], 0.5f, 500, 0.01f, 1f, Seed: 4));
        float[] features = new float[original.Examples * 2];
        float[] labels = new float[original.Examples];
        for (int i = 0; i < original.Examples; i++)
        {
            features[2 * i] = features[(2 * i) + 1] = original.Row(i)[0];
            labels[i] = (3f * original.Row(i)[0]) + 0.5f;
        }

        ClosedFormSolution solution = LeastSquares.Solve(new Dataset(features, labels, 2));

        // Any split of 3 between the two identical columns is optimal; the minimum-norm one is 1.5 each.
        Assert.All(solution.Weights, w => Assert.True(float.IsFinite(w)));
        Assert.InRange(solution.Weights[0] + solution.Weights[1], 3f - 1e-4f, 3f + 1e-4f);
        Assert.InRange(solution.Loss, 0, 1e-10);
    }

    [Theory]
    [InlineData(0.1f)] // slow SGD: far from the optimum after three epochs
    [InlineData(1f)]   // the book: SGD close to the optimum
    public void Its_loss_is_never_above_the_SGD_loss(float featureStd)
    {
        DatasetSpec spec = DatasetSpec.Book(8) with { FeatureStd = featureStd };

        RunResult result = LinearRegressionRun.Execute(spec, new TrainingOptions { Seed = 8 }, new TrainingLimits());

        // The optimum's loss can only exceed SGD's through rounding its parameters to float32,
        // which changes the loss by ~(6e-8·|θ|)² — far below 1e-12 of the loss.
        Assert.NotNull(result.ClosedForm);
        Assert.True(result.ClosedForm.Loss <= result.EpochLosses[^1] * (1 + 1e-12),
            $"closed form {result.ClosedForm.Loss} above SGD {result.EpochLosses[^1]}");
        Assert.True(result.ClosedForm.Loss > 0);
    }

    [Fact]
    public void IsAffordable_respects_the_limits()
    {
        var limits = new TrainingLimits { MaxClosedFormFeatures = 10, MaxClosedFormWork = 1_000 * 11 * 11 };

        Assert.True(LeastSquares.IsAffordable(1_000, 10, limits));   // exactly at both limits
        Assert.False(LeastSquares.IsAffordable(1_000, 11, limits));  // one feature too many
        Assert.False(LeastSquares.IsAffordable(1_001, 10, limits));  // one row of work too many
        Assert.True(LeastSquares.IsAffordable(50_000_000, 1024, new TrainingLimits { MaxClosedFormWork = long.MaxValue }));
        Assert.False(LeastSquares.IsAffordable(50_000_000, 1024, new TrainingLimits()));
        Assert.False(LeastSquares.IsAffordable(10, 1025, new TrainingLimits()));
    }

    [Fact]
    public void A_run_skips_the_closed_form_when_it_is_not_affordable()
    {
        var limits = new TrainingLimits { MaxClosedFormWork = 1 };

        RunResult result = LinearRegressionRun.Execute(DatasetSpec.Book(9), new TrainingOptions(), limits);

        Assert.Null(result.ClosedForm);
        Assert.NotNull(LinearRegressionRun.Execute(DatasetSpec.Book(9), new TrainingOptions(), new TrainingLimits()).ClosedForm);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_number_of_threads()
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1f, 2f, 3f], 0f, 40_000, 0.5f, 1f, Seed: 10));

        ClosedFormSolution serial = LeastSquares.Solve(data, maxDegreeOfParallelism: 1);
        ClosedFormSolution parallel = LeastSquares.Solve(data, maxDegreeOfParallelism: -1);

        Assert.Equal(serial.Weights, parallel.Weights);
        Assert.Equal(serial.Bias, parallel.Bias);
        Assert.Equal(serial.Loss, parallel.Loss);
    }

    [Theory]
    [InlineData(1, 63)]     // one feature; rows short of one 64-row tile
    [InlineData(2, 64)]     // exactly one tile
    [InlineData(3, 65)]     // one row into the second tile
    [InlineData(6, 1_000)]  // label column lands on a multiple of four
    [InlineData(16, 5_001)] // the benchmark's width
    [InlineData(33, 777)]   // columns beyond the four-wide blocks
    [InlineData(14, 129)]   // 16 columns: exactly two Vector256 or one Vector512
    [InlineData(46, 300)]   // 48 columns: exactly three Vector512, the widest block
    [InlineData(47, 200)]   // 49 columns: one into a fourth vector
    public void Tiles_of_any_shape_match_the_float64_QR_solve(int features, int examples)
    {
        var random = new System.Random(features * 31 + examples);
        float[] weights = [.. Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 4 - 2))];
        Dataset data = DatasetGenerator.Generate(new DatasetSpec(weights, 1.5f, examples, 0.2f, 1f, Seed: examples));

        ClosedFormSolution solution = LeastSquares.Solve(data);
        Vector<double> reference = DesignMatrix(data).QR().Solve(Vector<double>.Build.Dense(data.Labels.Select(y => (double)y).ToArray()));

        // Same float64 problem by another route; tall, well-conditioned fits agree to float32 rounding.
        for (int i = 0; i < features; i++)
        {
            Assert.InRange(solution.Weights[i], reference[i] - 1e-4, reference[i] + 1e-4);
        }
        Assert.InRange(solution.Bias, reference[features] - 1e-4, reference[features] + 1e-4);
    }

    private static Matrix<double> DesignMatrix(Dataset data) =>
        Matrix<double>.Build.Dense(data.Examples, data.FeatureCount + 1, (i, j) => j < data.FeatureCount ? data.Features[(i * data.FeatureCount) + j] : 1.0);

    [Theory]
    [InlineData(1, 70)]
    [InlineData(16, 5_001)]
    [InlineData(47, 300)]
    [InlineData(130, 257)]
    public void Vector256_and_Vector512_give_the_same_bits(int features, int examples)
    {
        float[] weights = [.. Enumerable.Range(0, features).Select(i => (float)Math.Cos(i))];
        Dataset data = DatasetGenerator.Generate(new DatasetSpec(weights, -0.5f, examples, 0.3f, 1f, Seed: 11));

        ClosedFormSolution narrow = LeastSquares.SolveAtWidth(data, -1, wide: false, default);
        ClosedFormSolution wide = LeastSquares.SolveAtWidth(data, -1, wide: true, default);

        // Every Gram entry is the same float32 multiply-adds in the same order at either width.
        Assert.Equal(narrow.Weights, wide.Weights);
        Assert.Equal(narrow.Bias, wide.Bias);
        Assert.Equal(narrow.Loss, wide.Loss);
    }
}
