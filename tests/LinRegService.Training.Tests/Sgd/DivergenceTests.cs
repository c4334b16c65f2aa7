using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// A learning rate past the stability limit (lr·E|x|² ≳ 2) makes SGD blow up; the run must say so
/// with TrainingDivergedException naming the epoch, and never hand back NaN or infinite parameters.
/// </summary>
[Collection(LargeData.Name)]
public class DivergenceTests
{
    [Fact]
    public void A_too_large_learning_rate_throws_TrainingDivergedException()
    {
        // featureStd 1 and lr 10: every step multiplies the error by about lr·|x|² ≈ 20.
        var options = new TrainingOptions { LearningRate = 10f, Seed = 1 };

        TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(
            () => LinearRegressionRun.Execute(DatasetSpec.Book(1), options, new TrainingLimits()));

        Assert.InRange(error.Epoch, 1, options.Epochs);
        Assert.Contains("diverged at epoch", error.Message, StringComparison.Ordinal);
        Assert.Contains($"epoch {error.Epoch}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bucketed_path_detects_divergence_too()
    {
        // 50 000 × 16 is above the in-cache size, so the shuffle runs in buckets.
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([.. Enumerable.Repeat(1f, 16)], 1f, 50_000, 0.01f, 1f, Seed: 2));

        TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(
            () => SgdTrainer.Train(data, new TrainingOptions { LearningRate = 10f, Epochs = 2 }));

        Assert.InRange(error.Epoch, 1, 2);
    }

    [Theory]
    [InlineData(0.03f, false)]
    [InlineData(0.3f, false)]
    [InlineData(1f, null)]   // near the limit: either outcome is fine, but it must be one of the two
    [InlineData(1.8f, null)]
    [InlineData(2.5f, null)]
    [InlineData(10f, true)]
    [InlineData(1e6f, true)]
    public void A_run_either_diverges_loudly_or_returns_finite_parameters(float learningRate, bool? diverges)
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(3));
        var reported = new List<double>();
        var progress = new InlineProgress(loss => reported.Add(loss.Loss));

        try
        {
            TrainingResult result = SgdTrainer.Train(data, new TrainingOptions { LearningRate = learningRate, Epochs = 5, Seed = 3 }, progress);

            Assert.All(result.Weights, w => Assert.True(float.IsFinite(w)));
            Assert.True(float.IsFinite(result.Bias));
            Assert.All(result.EpochLosses, loss => Assert.True(double.IsFinite(loss)));
            Assert.Equal(5, reported.Count);
            Assert.NotEqual(true, diverges);
        }
        catch (TrainingDivergedException error)
        {
            Assert.InRange(error.Epoch, 1, 5);
            Assert.All(reported, loss => Assert.True(double.IsFinite(loss))); // nothing non-finite was reported before
            Assert.True(reported.Count < error.Epoch, "no loss is reported for the epoch that diverged");
            Assert.NotEqual(false, diverges);
        }
    }
}
