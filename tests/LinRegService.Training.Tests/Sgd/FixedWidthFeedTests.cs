using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// Rows of 16 features take a fixed-width feed with AVX-512 (weights and gradient in registers,
/// four rows' dot products summed together). It must give the bits of the general feed, for every
/// loss and schedule.
/// </summary>
public class FixedWidthFeedTests
{
    [Theory]
    [InlineData(256, 3, 1000, "squared", ScheduleKind.Constant)]
    [InlineData(10, 4, 1000, "squared", ScheduleKind.Constant)]  // the batch ends inside a group of four
    [InlineData(7, 5, 999, "squared", ScheduleKind.Constant)]
    [InlineData(1, 2, 37, "squared", ScheduleKind.Constant)]     // every row closes a batch
    [InlineData(4, 1, 64, "squared", ScheduleKind.Constant)]
    [InlineData(1024, 2, 3001, "squared", ScheduleKind.Constant)] // the last batch left open for FinishEpoch
    [InlineData(10, 3, 1000, "huber", ScheduleKind.Constant)]    // the Huber loss's clipped gradient
    [InlineData(6, 3, 1000, "absolute", ScheduleKind.Constant)]
    [InlineData(10, 3, 1000, "squared", ScheduleKind.InvScaling)] // a rate per update
    [InlineData(9, 2, 1000, "huber", ScheduleKind.Step)]          // a rate per epoch
    public void Fixed_width_feed_has_the_bits_of_the_general_feed(int batch, int slices, int rows, string loss, ScheduleKind schedule)
    {
        const int features = 16;
        var spec = new DatasetSpec([.. Enumerable.Range(0, features).Select(i => (float)Math.Sin(i))], 1f, rows, 0.5f, 1f, 7);
        float[] packed = PackedRows.Pack(DatasetGenerator.Generate(spec));
        var random = new System.Random(batch * 31 + rows);
        int[] order = [.. Enumerable.Range(0, rows).OrderBy(_ => random.Next())];
        float[] initial = [.. Enumerable.Range(0, features).Select(_ => (float)random.NextDouble() - 0.5f)];
        var options = new TrainingOptions
        {
            BatchSize = batch,
            LearningRate = 0.05f,
            HuberDelta = 0.3f,
            Schedule = schedule,
            DecayEvery = 1,
            DecayFactor = 0.5f,
        };

        (float[] fixedWeights, float fixedBias, bool tookFixed) = Train(loss, packed, order, initial, options, slices, fixedWidth: true);
        (float[] generalWeights, float generalBias, bool tookGeneral) = Train(loss, packed, order, initial, options, slices, fixedWidth: false);

        Assert.False(tookGeneral);
        Assert.Equal(Vector512.IsHardwareAccelerated, tookFixed); // without AVX-512 both are the general feed
        Assert.Equal(Approx.Bits(generalWeights), Approx.Bits(fixedWeights));
        Assert.Equal(BitConverter.SingleToInt32Bits(generalBias), BitConverter.SingleToInt32Bits(fixedBias));
        Assert.NotEqual(initial, fixedWeights); // it trained
    }

    private static (float[] Weights, float Bias, bool TookFixed) Train(string loss, float[] packed, int[] order, float[] initial, TrainingOptions options, int slices, bool fixedWidth) =>
        loss switch
        {
            "huber" => Train<HuberLoss>(packed, order, initial, options, slices, fixedWidth),
            "absolute" => Train<AbsoluteLoss>(packed, order, initial, options, slices, fixedWidth),
            _ => Train<SquaredLoss>(packed, order, initial, options, slices, fixedWidth),
        };

    private static (float[] Weights, float Bias, bool TookFixed) Train<TLoss>(float[] packed, int[] order, float[] initial, TrainingOptions options, int slices, bool fixedWidth)
        where TLoss : ILoss
    {
        var stepper = new MinibatchStepper<VectorStepKernel, TLoss>([.. initial], 0.25f, options, fixedWidth);
        // Two epochs in slices of uneven lengths, as the epoch runner cuts them, so groups of four
        // meet batch ends and slice ends anywhere.
        for (int epoch = 0; epoch < 2; epoch++)
        {
            stepper.BeginEpoch(epoch);
            int start = 0;
            for (int s = 0; s < slices; s++)
            {
                int end = s == slices - 1 ? order.Length : start + (order.Length / slices) + s;
                stepper.Feed(ref packed[0], order.AsSpan(start, end - start), 0);
                start = end;
            }
            stepper.FinishEpoch();
        }
        return (stepper.Weights, stepper.Bias, stepper.FeedsSixteenWide);
    }
}
