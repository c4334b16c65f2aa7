using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// The options beyond the book's through the trainer: unshuffled order, the chosen loss's epoch
/// losses and the final squared loss, and determinism with every option on both shuffle paths
/// and any number of threads.
/// </summary>
[Collection(LargeData.Name)]
public class TrainingOptionsTests
{
    /// <summary>50 000 × 16: the bucketed path (when shuffled).</summary>
    private static readonly DatasetSpec _large = new(
        [.. Enumerable.Range(0, 16).Select(i => (i % 5) - 2f)], 1f, 50_000, 0.1f, 0.25f, Seed: 8);

    public static TheoryData<string> Sizes() => ["small", "large"];

    private static DatasetSpec SpecFor(string size) => size == "small" ? DatasetSpec.Book(seed: 7) : _large;

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Unshuffled_minibatches_are_the_rows_in_dataset_order(string size)
    {
        Dataset data = DatasetGenerator.Generate(SpecFor(size));
        var options = new TrainingOptions { Epochs = 2, Shuffle = false, InitStd = 0, BatchSize = 32 };

        TrainingResult trained = SgdTrainer.Train(data, options with { Seed = 1 });
        TrainingResult otherSeed = SgdTrainer.Train(data, options with { Seed = 2 });

        var stepper = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[data.FeatureCount], 0f, options);
        float[] packed = PackedRows.Pack(data);
        int[] inOrder = Packing.Identity(data.Examples);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), inOrder, 0);
            stepper.FinishEpoch();
        }
        Assert.Equal(Approx.Bits(stepper.Weights), Approx.Bits(trained.Weights));
        // With zero initial weights and no shuffle, the training seed has nothing left to change.
        Assert.Equal(Approx.Bits(trained.Weights), Approx.Bits(otherSeed.Weights));
    }

    [Fact]
    public void Unshuffled_training_needs_the_packed_rows_alone_without_the_shuffles_spare_blocks()
    {
        var shuffled = new TrainingOptions { Epochs = 3 };
        var unshuffled = shuffled with { Shuffle = false };
        long rows = _large.Examples * (_large.Features + 1L) * sizeof(float);
        long Total(TrainingOptions options) =>
            SgdTrainer.PackedBytes(_large.Examples, _large.Features, options) + SgdTrainer.EstimateBytes(_large.Examples, _large.Features, options);

        long withShuffle = Total(shuffled);
        long without = Total(unshuffled);

        Assert.True(without < withShuffle);
        // The rows in whole huge pages, a kept buffer a quarter larger at most, and the row order.
        Assert.InRange(without, rows, (rows * 5 / 4) + (5L << 20) + (_large.Examples * 5L));
    }

    [Fact]
    public void The_squared_loss_final_squared_loss_is_its_last_epoch_loss()
    {
        TrainingResult result = SgdTrainer.Train(DatasetGenerator.Generate(DatasetSpec.Book(seed: 7)), new TrainingOptions { Seed = 1 });
        Assert.Equal(result.EpochLosses[^1], result.FinalSquaredLoss);
        Assert.False(result.StoppedEarly);
        Assert.Equal(3, result.EpochsRun);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_option_at_once_is_bit_identical_across_runs_and_threads(string size)
    {
        DatasetSpec spec = SpecFor(size) with
        {
            Outliers = new DatasetOutliers { Rows = [5, 17], Label = 100f, Fraction = 0.01, Shift = -50f },
            Order = RowOrder.SortedByLabel,
        };
        foreach (TrainingOptions options in new[]
        {
            new TrainingOptions { Epochs = 4, Seed = 3, Loss = LossKind.Huber, HuberDelta = 2f, Schedule = ScheduleKind.InvScaling, Tolerance = 1e-9, Patience = 2 },
            new TrainingOptions { Epochs = 4, Seed = 3, Loss = LossKind.Absolute, Shuffle = false, Schedule = ScheduleKind.Step, DecayEvery = 2, DecayFactor = 0.7f },
        })
        {
            Assert.Empty(RunValidator.Validate(spec, options, new TrainingLimits()));
            RunResult first = LinearRegressionRun.Execute(spec, options, new TrainingLimits());
            RunResult second = LinearRegressionRun.Execute(spec, options with { MaxDegreeOfParallelism = 1 }, new TrainingLimits());

            Assert.Equal(Approx.Bits(first.Weights), Approx.Bits(second.Weights));
            Assert.Equal(BitConverter.SingleToInt32Bits(first.Bias), BitConverter.SingleToInt32Bits(second.Bias));
            Assert.Equal(Approx.Bits(first.EpochLosses), Approx.Bits(second.EpochLosses));
            Assert.Equal(first.FinalSquaredLoss, second.FinalSquaredLoss);
            Assert.Equal(first.ClosedForm!.Bias, second.ClosedForm!.Bias);
        }
    }

    [Fact]
    public void Ordering_by_label_is_counted_in_the_peak_estimate()
    {
        var limits = new TrainingLimits();
        var training = new TrainingOptions();

        long generated = LinearRegressionRun.EstimatePeakBytes(_large, training, limits);
        long sorted = LinearRegressionRun.EstimatePeakBytes(_large with { Order = RowOrder.SortedByLabel }, training, limits);

        // Sorted as a whole before it is packed: the generated rows and the sort keys beside the packed copy.
        Assert.Equal(Dataset.BytesFor(_large.Examples, _large.Features) + (_large.Examples * (long)sizeof(ulong)), sorted - generated);
    }
}
