using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Random;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Validation;

/// <summary>
/// Datasets whose values could leave the range where float32 sums stay finite are refused
/// before they run, naming the fields; datasets just inside the bound generate, train and solve
/// to finite numbers.
/// </summary>
public class FiniteRangeCheckTests
{
    private static readonly TrainingLimits _limits = new();

    [Theory]
    [InlineData(new[] { 3e38f }, 3e38f, 0.01f, 1f, new[] { "dataset.weights", "dataset.featureStd", "dataset.bias" })]
    [InlineData(new[] { 2f }, 0f, 0.01f, 3e38f, new[] { "dataset.featureStd" })]
    [InlineData(new[] { 2f }, 0f, 3e38f, 1f, new[] { "dataset.noiseStd" })]
    [InlineData(new[] { 1f }, 4.2f, 1e30f, 1e-15f, new[] { "dataset.noiseStd" })]
    [InlineData(new[] { 1e20f, 1e20f }, 0f, 0.01f, 1f, new[] { "dataset.weights", "dataset.featureStd" })]
    [InlineData(new[] { 1f }, 2e15f, 0f, 1f, new[] { "dataset.bias" })]
    public void Values_beyond_the_bound_are_refused_naming_the_fields(float[] weights, float bias, float noiseStd, float featureStd, string[] fields)
    {
        var dataset = new DatasetSpec(weights, bias, 1000, noiseStd, featureStd, 1);

        IReadOnlyList<ValidationError> errors = RunValidator.Validate(dataset, new TrainingOptions(), _limits);

        Assert.Equal(fields.Order(), errors.Select(e => e.Field).Distinct().Order());
    }

    [Fact]
    public void The_bound_itself_is_derived_from_the_samplers_largest_variate()
    {
        // The smallest uniform the sampler uses is 2^-24.
        double largest = Math.Sqrt(-2 * Math.Log(Math.Pow(2, -24)));

        Assert.InRange(largest, GaussianSampler.MaxAbsolute - 0.01, GaussianSampler.MaxAbsolute);
        Assert.True(FiniteRangeCheck.MaxValue * FiniteRangeCheck.MaxValue * _limits.MaxExamples < float.MaxValue);
    }

    [Fact]
    public void A_dataset_just_inside_the_bound_trains_to_finite_numbers()
    {
        // Labels up to about 1e14: large but inside the bound; a small step keeps SGD stable.
        var dataset = new DatasetSpec([1e13f, -1e13f], 1e13f, 1000, 1e12f, 1f, 5);
        var training = new TrainingOptions { LearningRate = 0.01f, Epochs = 2, Seed = 6 };
        Assert.Empty(RunValidator.Validate(dataset, training, _limits));

        RunResult result = LinearRegressionRun.Execute(dataset, training, _limits);

        Assert.All(result.EpochLosses, loss => Assert.True(double.IsFinite(loss)));
        Assert.All(result.Weights, w => Assert.True(float.IsFinite(w)));
        Assert.NotNull(result.ClosedForm);
        Assert.True(result.ClosedForm.IsFinite);
    }

    [Fact]
    public void A_closed_form_with_a_non_finite_number_is_not_finite()
    {
        Assert.False(new ClosedFormSolution([1f, float.NaN], 0f, 0).IsFinite);
        Assert.False(new ClosedFormSolution([1f], float.PositiveInfinity, 0).IsFinite);
        Assert.False(new ClosedFormSolution([1f], 0f, double.NaN).IsFinite);
        Assert.True(new ClosedFormSolution([1f], 0f, 0.5).IsFinite);
    }

    [Fact]
    public void A_dataset_beyond_the_closed_forms_limits_has_a_note_instead()
    {
        RunResult result = LinearRegressionRun.Execute(DatasetSpec.Book(1), new TrainingOptions { Seed = 2 }, _limits with { MaxClosedFormFeatures = 1 });

        Assert.Null(result.ClosedForm);
        Assert.StartsWith("Not computed", result.ClosedFormNote, StringComparison.Ordinal);
    }
}
