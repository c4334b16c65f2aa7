using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// <c>Standardize</c>: training on features of mean 0 and variance 1, reported in the original
/// units, so columns of very different scales train with one learning rate; and runs on given rows.
/// </summary>
public class StandardizeTests
{
    /// <summary>y = 3000·x₀ + 0.002·x₁ − 5 + noise, x₀ ~ 1e-3 and x₁ ~ 1e3 in scale (and off-center).</summary>
    private static Dataset Skewed(int rows, int seed = 1)
    {
        var random = new System.Random(seed);
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double a = 1e-3 * (1 + random.NextDouble());
            double b = 1e3 * (2 + random.NextDouble());
            x[2 * i] = (float)a;
            x[(2 * i) + 1] = (float)b;
            y[i] = (float)((3000 * a) + (0.002 * b) - 5 + (0.01 * (random.NextDouble() - 0.5)));
        }
        return new Dataset(x, y, 2);
    }

    [Fact]
    public void Scaling_has_the_columns_mean_and_population_std_and_leaves_a_constant_column_unscaled()
    {
        var data = new Dataset([1f, 7f, 2f, 7f, 3f, 7f, 4f, 7f], [0f, 0f, 0f, 0f], 2);

        FeatureScaling scaling = FeatureScaling.Of(data);
        Dataset scaled = scaling.Apply(data);

        Assert.Equal([2.5, 7.0], scaling.Means);
        Assert.Equal(Math.Sqrt(1.25), scaling.Scales[0], 12);
        Assert.Equal(1.0, scaling.Scales[1]); // constant: σ = 0 taken as 1
        Assert.Equal(0.0, Enumerable.Range(0, 4).Average(i => (double)scaled.Row(i)[0]), 6);
        Assert.Equal(1.0, Enumerable.Range(0, 4).Average(i => (double)scaled.Row(i)[0] * scaled.Row(i)[0]), 6);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0f, scaled.Row(i)[1]));
        Assert.Same(data.Labels, scaled.Labels);
    }

    [Fact]
    public void A_standardized_model_in_original_units_predicts_the_same_and_a_warm_start_round_trips()
    {
        Dataset data = Skewed(50);
        FeatureScaling scaling = FeatureScaling.Of(data);
        Dataset scaled = scaling.Apply(data);
        float[] wStd = [0.7f, -1.3f];
        const float bStd = 0.4f;

        (float[] w, float b) = scaling.ToOriginal(wStd, bStd);

        for (int i = 0; i < data.Examples; i++)
        {
            double onScaled = (wStd[0] * (double)scaled.Row(i)[0]) + (wStd[1] * (double)scaled.Row(i)[1]) + bStd;
            double onOriginal = (w[0] * (double)data.Row(i)[0]) + (w[1] * (double)data.Row(i)[1]) + b;
            Assert.Equal(onScaled, onOriginal, 3);
        }
        (float[] back, float backBias) = scaling.ToStandardized(w, b);
        Assert.Equal(wStd[0], back[0], 4);
        Assert.Equal(wStd[1], back[1], 4);
        Assert.Equal(bStd, backBias, 2);
    }

    [Fact]
    public void Columns_of_very_different_scales_train_with_standardize_but_not_without()
    {
        Dataset data = Skewed(2000);
        var options = new TrainingOptions { LearningRate = 0.05f, BatchSize = 20, Epochs = 30, Seed = 3 };

        RunResult standardized = LinearRegressionRun.Execute(data, options with { Standardize = true }, new TrainingLimits());

        ClosedFormSolution optimum = standardized.ClosedForm!;
        Assert.InRange(standardized.FinalSquaredLoss, optimum.Loss, optimum.Loss * 1.01);
        Assert.Equal(optimum.Weights[0], standardized.Weights[0], optimum.Weights[0] * 0.01f);
        Assert.Equal(optimum.Weights[1], standardized.Weights[1], Math.Abs(optimum.Weights[1]) * 0.01f);
        // The same learning rate on the raw columns: the 1e3 column makes it diverge.
        Assert.Throws<TrainingDivergedException>(() => LinearRegressionRun.Execute(data, options, new TrainingLimits()));
    }

    [Fact]
    public void Epoch_losses_are_those_of_the_model_in_original_units()
    {
        Dataset data = Skewed(500);
        var options = new TrainingOptions { LearningRate = 0.05f, BatchSize = 10, Epochs = 4, Seed = 5, Standardize = true };

        TrainingResult result = SgdTrainer.Train(data, options);

        double loss = Enumerable.Range(0, data.Examples).Average(i =>
        {
            double r = (result.Weights[0] * (double)data.Row(i)[0]) + (result.Weights[1] * (double)data.Row(i)[1]) + result.Bias - data.Labels[i];
            return r * r / 2;
        });
        Assert.Equal(loss, result.EpochLosses[^1], loss * 1e-2);
        Assert.Equal(result.FinalSquaredLoss, result.EpochLosses[^1], 12);
    }

    [Fact]
    public void A_run_on_given_rows_has_no_errors_but_the_distance_to_the_closed_form()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(seed: 4));

        RunResult result = LinearRegressionRun.Execute(data, new TrainingOptions { Seed = 1 }, new TrainingLimits());

        Assert.Null(result.WeightError);
        Assert.Null(result.BiasError);
        Assert.Equal(0, result.Timings.GenerateMs);
        OptimumDistance distance = result.ClosedFormDistance!;
        double norm = Math.Sqrt(result.Weights.Select((w, i) => Math.Pow(w - result.ClosedForm!.Weights[i], 2)).Sum());
        Assert.Equal(norm, distance.Weights, 1e-6);
        Assert.Equal(Math.Abs(result.Bias - result.ClosedForm!.Bias), distance.Bias, 1e-6);
        Assert.Equal(result.FinalSquaredLoss - result.ClosedForm.Loss, distance.Loss);
        Assert.InRange(distance.Loss, -1e-9, 1e-3);
    }

    [Fact]
    public void A_stored_run_is_estimated_with_the_standardized_copy()
    {
        var options = new TrainingOptions();
        long plain = LinearRegressionRun.EstimatePeakBytes(100_000, 8, options, new TrainingLimits());
        long standardized = LinearRegressionRun.EstimatePeakBytes(100_000, 8, options with { Standardize = true }, new TrainingLimits());

        Assert.True(plain >= Dataset.BytesFor(100_000, 8));
        Assert.Equal(100_000L * 8 * sizeof(float), standardized - plain);
    }
}
