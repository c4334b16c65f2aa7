using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>Early stopping: scikit-learn's rule, and the trainer stopping by it on both shuffle paths.</summary>
[Collection(LargeData.Name)]
public class EarlyStoppingTests
{
    private static readonly DatasetSpec _large = LargeData.Bucketed;

    [Fact]
    public void Stops_after_patience_epochs_without_an_improvement_of_the_tolerance()
    {
        var rule = new EarlyStopping(tolerance: 0.05, patience: 3);
        double[] losses = [1, 0.5, 0.49, 0.495, 0.6, 0.1];

        bool[] stops = [.. losses.Select(rule.ShouldStopAfter)];

        // 0.49, 0.495 and 0.6 are none below 0.5 − 0.05 (nor 0.49 − 0.05): the third of them stops.
        Assert.Equal([false, false, false, false, true, false], stops[..6]);
    }

    [Fact]
    public void An_improvement_resets_the_count()
    {
        var rule = new EarlyStopping(tolerance: 0, patience: 2);
        Assert.False(rule.ShouldStopAfter(1));
        Assert.False(rule.ShouldStopAfter(1.1)); // 1 of 2
        Assert.False(rule.ShouldStopAfter(0.5)); // improved: 0 of 2
        Assert.False(rule.ShouldStopAfter(0.6)); // 1 of 2
        Assert.True(rule.ShouldStopAfter(0.7));  // 2 of 2
    }

    [Theory]
    [InlineData("small")]
    [InlineData("large")]
    public void Training_stops_once_no_epoch_improves_for_patience_epochs(string size)
    {
        Dataset data = DatasetGenerator.Generate(size == "small" ? DatasetSpec.Book(seed: 3) : _large);
        // A tolerance no loss can beat: the first epoch sets the best, the next three do not improve on it.
        var options = new TrainingOptions { Epochs = 50, Seed = 5, Tolerance = 1e9, Patience = 3 };

        TrainingResult result = SgdTrainer.Train(data, options);

        Assert.True(result.StoppedEarly);
        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(4, result.EpochLosses.Length);
        Assert.All(result.EpochLosses, loss => Assert.True(loss > 0 && double.IsFinite(loss)));
    }

    [Theory]
    [InlineData("small")]
    [InlineData("large")]
    public void A_tolerance_that_never_stops_trains_exactly_as_without_one(string size)
    {
        Dataset data = DatasetGenerator.Generate(size == "small" ? DatasetSpec.Book(seed: 3) : _large);
        var plain = new TrainingOptions { Epochs = 4, Seed = 5 };

        TrainingResult without = SgdTrainer.Train(data, plain);
        TrainingResult with = SgdTrainer.Train(data, plain with { Tolerance = 0, Patience = 1000 });

        Assert.False(with.StoppedEarly);
        Assert.Equal(Approx.Bits(without.Weights), Approx.Bits(with.Weights));
        Assert.Equal(4, with.EpochsRun);
        Approx.Equal([.. without.EpochLosses.Select(l => (float)l)], [.. with.EpochLosses.Select(l => (float)l)], 1e-6, "losses");
    }

    [Fact]
    public void With_tolerance_0_the_book_run_stops_on_its_noise_floor_before_the_maximum()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(seed: 3));

        TrainingResult result = SgdTrainer.Train(data, new TrainingOptions { Epochs = 500, Seed = 5, Tolerance = 1e-7, Patience = 3 });

        Assert.True(result.StoppedEarly);
        Assert.InRange(result.EpochsRun, 4, 499);
        double best = result.EpochLosses[..^3].Min();
        Assert.All(result.EpochLosses[^3..], loss => Assert.True(loss > best - 1e-7));
        Assert.True(result.EpochLosses[^1] < 1e-3, "it stopped on the noise floor (noise 0.01: loss ≈ 5e-5), not before");
    }
}
