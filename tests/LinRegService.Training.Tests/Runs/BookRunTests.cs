using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Runs;

/// <summary>
/// The book's run — w = [2, −3.4], b = 4.2, 1000 examples, noise 0.01, lr 0.03, batch 10, 3 epochs,
/// init N(0, 0.01²) — recovers the parameters as the book shows (errors of a few 1e-4).
/// </summary>
public class BookRunTests
{
    public static TheoryData<long> Seeds() => [0, 1, 2, 3, 42];

    [Fact]
    public void Defaults_are_the_books_hyperparameters()
    {
        var options = new TrainingOptions();
        DatasetSpec spec = DatasetSpec.Book(seed: 0);

        Assert.Equal(0.03f, options.LearningRate);
        Assert.Equal(10, options.BatchSize);
        Assert.Equal(3, options.Epochs);
        Assert.Equal(0.01f, options.InitStd);
        Assert.Equal(0f, options.InitialBias);
        Assert.Equal([2f, -3.4f], spec.Weights);
        Assert.Equal((4.2f, 1000, 0.01f, 1f), (spec.Bias, spec.Examples, spec.NoiseStd, spec.FeatureStd));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sgd_recovers_the_true_parameters(long seed)
    {
        RunResult result = LinearRegressionRun.Execute(DatasetSpec.Book(seed), new TrainingOptions { Seed = seed }, new TrainingLimits());

        // 300 steps at lr 0.03 shrink the initial error by (1 − 0.03)³⁰⁰ ≈ 1e-4; what remains is SGD's
        // jitter around the optimum plus the optimum's own sampling error (0.01/√1000 ≈ 3e-4), so 0.01.
        Assert.All(result.WeightError!, e => Assert.InRange(e, -0.01f, 0.01f));
        Assert.InRange(result.BiasError!.Value, -0.01f, 0.01f);
        Assert.Equal(3, result.EpochLosses.Length);
        // The floor is noiseStd²/2 = 5e-5.
        Assert.InRange(result.EpochLosses[^1], 0, 1e-4);
        Assert.True(result.EpochLosses[0] > result.EpochLosses[^1]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Closed_form_recovers_the_true_weights(long seed)
    {
        DatasetSpec spec = DatasetSpec.Book(seed);
        RunResult result = LinearRegressionRun.Execute(spec, new TrainingOptions { Seed = seed }, new TrainingLimits());

        // The least-squares estimate's standard error is noiseStd/(featureStd·√N) ≈ 3.2e-4 per weight:
        // 1e-3 is about 3 of them (these seeds all sit within it).
        Assert.NotNull(result.ClosedForm);
        for (int i = 0; i < spec.Features; i++)
        {
            Assert.InRange(result.ClosedForm.Weights[i], spec.Weights[i] - 1e-3f, spec.Weights[i] + 1e-3f);
        }
        Assert.InRange(result.ClosedForm.Bias, spec.Bias - 1e-3f, spec.Bias + 1e-3f);
    }

    [Fact]
    public void WeightError_is_true_minus_learned()
    {
        DatasetSpec spec = DatasetSpec.Book(5);
        RunResult result = LinearRegressionRun.Execute(spec, new TrainingOptions { Seed = 5 }, new TrainingLimits());

        Assert.Equal(spec.Weights.Select((w, i) => w - result.Weights[i]), result.WeightError);
        Assert.Equal(spec.Bias - result.Bias, result.BiasError);
    }

    [Fact]
    public void Progress_reports_every_epoch_loss_in_order()
    {
        var reported = new List<EpochLoss>();
        var progress = new InlineProgress(reported.Add);

        RunResult result = LinearRegressionRun.Execute(DatasetSpec.Book(6), new TrainingOptions { Seed = 6 }, new TrainingLimits(), progress);

        Assert.Equal([1, 2, 3], reported.Select(r => r.Epoch));
        Assert.Equal(result.EpochLosses, reported.Select(r => r.Loss));
    }
}
