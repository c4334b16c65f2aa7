using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// Every epoch's loss is reported once, in order, and equals the returned EpochLosses — also on the
/// bucketed path, where an epoch's loss only becomes known during the next epoch's scatter.
/// </summary>
public class ProgressReportingTests
{
    public static TheoryData<int, int> Sizes() => new()
    {
        { 1_000, 2 },   // in cache
        { 50_000, 16 }, // bucketed: 3.4 MB packed
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Each_epoch_is_reported_once_in_order(int examples, int features)
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec(new float[features], 1f, examples, 0.1f, 0.5f, Seed: 1));
        var reported = new List<EpochLoss>();

        TrainingResult result = SgdTrainer.Train(data, new TrainingOptions { Epochs = 4, Seed = 2 }, new InlineProgress(reported.Add));

        Assert.Equal([1, 2, 3, 4], reported.Select(r => r.Epoch));
        Assert.Equal(result.EpochLosses, reported.Select(r => r.Loss));
        Assert.All(result.EpochLosses, loss => Assert.True(loss > 0));
    }
}
