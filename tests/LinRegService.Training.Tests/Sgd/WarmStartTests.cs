using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>InitialWeights/InitialBias continue training from an earlier result instead of from scratch.</summary>
public class WarmStartTests
{
    [Fact]
    public void Warm_start_from_a_converged_run_stays_at_the_optimum()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(1));
        TrainingResult first = SgdTrainer.Train(data, new TrainingOptions { Seed = 1 });
        TrainingResult cold = SgdTrainer.Train(data, new TrainingOptions { Seed = 2, Epochs = 1 });

        TrainingResult warm = SgdTrainer.Train(data, new TrainingOptions { Seed = 2, Epochs = 1, InitialWeights = first.Weights, InitialBias = first.Bias });

        // At the optimum the loss is the noise floor (≈ 5e-5) and SGD's jitter at lr 0.03 only moves
        // it by tens of percent; a cold first epoch is still hundreds of times above it.
        Assert.InRange(warm.EpochLosses[0], 0, first.EpochLosses[^1] * 2);
        Assert.True(cold.EpochLosses[0] > 10 * warm.EpochLosses[0], $"cold {cold.EpochLosses[0]} vs warm {warm.EpochLosses[0]}");
    }

    [Fact]
    public void Warm_start_continues_a_slow_run_downhill()
    {
        // featureStd 0.1: the weights learn slowly, so every epoch still lowers the loss noticeably.
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(3) with { FeatureStd = 0.1f });
        var options = new TrainingOptions { Seed = 3, Epochs = 2 };
        TrainingResult first = SgdTrainer.Train(data, options);

        TrainingResult second = SgdTrainer.Train(data, options with { Seed = 4, InitialWeights = first.Weights, InitialBias = first.Bias });

        Assert.True(second.EpochLosses[0] < first.EpochLosses[^1], $"{second.EpochLosses[0]} is not below {first.EpochLosses[^1]}");
        Assert.True(second.EpochLosses[1] < second.EpochLosses[0]);
        Assert.NotEqual(first.Weights, second.Weights);
    }

    [Fact]
    public void Warm_start_ignores_InitStd_and_does_not_modify_the_given_weights()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(5));
        float[] start = [1f, -1f];
        var options = new TrainingOptions { Seed = 5, Epochs = 1, InitialWeights = start, InitialBias = 2f };

        TrainingResult a = SgdTrainer.Train(data, options with { InitStd = 0.01f });
        TrainingResult b = SgdTrainer.Train(data, options with { InitStd = 5f });

        Assert.Equal(Approx.Bits(a.Weights), Approx.Bits(b.Weights));
        Assert.Equal([1f, -1f], start);
    }

    [Fact]
    public void Warm_start_bias_is_used()
    {
        // lr tiny and one batch: the result is the start plus a step of ~1e-6, so the bias must be ≈ 2.
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(6));
        var options = new TrainingOptions { Epochs = 1, BatchSize = 1000, LearningRate = 1e-6f, InitialWeights = [0f, 0f], InitialBias = 2f };

        TrainingResult result = SgdTrainer.Train(data, options);

        Assert.InRange(result.Bias, 2f, 2.001f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Initial_weights_of_the_wrong_length_are_rejected(int length)
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(7));
        var options = new TrainingOptions { InitialWeights = new float[length] };

        Assert.Throws<ArgumentException>(() => SgdTrainer.Train(data, options));
        Assert.Throws<ArgumentException>(() => LinearRegressionRun.Execute(DatasetSpec.Book(7), options, new TrainingLimits()));
    }
}
