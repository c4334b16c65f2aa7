using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>The schedules give scikit-learn's learning rates, and the stepper applies them update by update.</summary>
public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_is_the_learning_rate_at_every_update()
    {
        var options = new TrainingOptions { LearningRate = 0.03f };
        Assert.All(new[] { (1L, 0), (100L, 0), (1000L, 9) }, at => Assert.Equal(0.03f, LearningRates.At(options, at.Item1, at.Item2)));
    }

    [Fact]
    public void InvScaling_divides_by_the_update_count_to_the_power()
    {
        var options = new TrainingOptions { LearningRate = 0.1f, Schedule = ScheduleKind.InvScaling, DecayPower = 0.5f };
        float[] rates = [.. Enumerable.Range(1, 4).Select(t => LearningRates.At(options, t, epoch: 3))];

        Assert.Equal([0.1f, (float)(0.1f / Math.Sqrt(2)), (float)(0.1f / Math.Sqrt(3)), 0.05f], rates);
    }

    [Fact]
    public void Step_multiplies_by_the_factor_every_period_of_epochs()
    {
        var options = new TrainingOptions { LearningRate = 0.1f, Schedule = ScheduleKind.Step, DecayFactor = 0.5f, DecayEvery = 2 };
        float[] rates = [.. Enumerable.Range(0, 6).Select(epoch => LearningRates.At(options, update: 1, epoch))];

        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f], rates);
    }

    [Theory]
    [InlineData(ScheduleKind.InvScaling, 10, 23)]
    [InlineData(ScheduleKind.InvScaling, 1, 7)]
    [InlineData(ScheduleKind.Step, 10, 23)]
    [InlineData(ScheduleKind.Step, 4, 9)]
    public void The_stepper_follows_the_schedule_as_a_float64_loop_does(ScheduleKind schedule, int batch, int examples)
    {
        var spec = new DatasetSpec([1.5f, -2f, 0.5f], 4.2f, examples, 0.1f, 1f, Seed: 3);
        float[] packed = Packing.Pack(DatasetGenerator.Generate(spec));
        int[][] orders = [.. Enumerable.Range(0, 4).Select(epoch => Packing.Shuffled(examples, seed: epoch))];
        var options = new TrainingOptions
        {
            BatchSize = batch,
            LearningRate = 0.2f,
            Schedule = schedule,
            DecayPower = 0.7f,
            DecayFactor = 0.3f,
            DecayEvery = 2,
        };
        float[] initial = [0.1f, -0.2f, 0.3f];
        var stepper = new MinibatchStepper<VectorStepKernel, SquaredLoss>([.. initial], 0f, options);
        for (int epoch = 0; epoch < orders.Length; epoch++)
        {
            stepper.BeginEpoch(epoch);
            stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), orders[epoch], 0);
            stepper.FinishEpoch();
        }

        (double[] expected, double bias) = ReferenceSgd.Run(packed, 3, orders, initial, 0f, batch, ReferenceSgd.Squared,
            (t, epoch) => schedule == ScheduleKind.Step ? 0.2f * Math.Pow(0.3f, epoch / 2) : 0.2f / Math.Pow(t, 0.7f));
        (double[] constant, _) = ReferenceSgd.Run(packed, 3, orders, initial, 0f, batch, ReferenceSgd.Squared, (_, _) => 0.2f);

        Approx.Equal(expected.Select(w => (float)w).ToArray(), stepper.Weights, 1e-6, "weights");
        Approx.Equal(bias, stepper.Bias, 1e-6, bias, "bias");
        Assert.True(expected.Zip(constant).Any(p => Math.Abs(p.First - p.Second) > 1e-3), "the schedule changed nothing");
    }
}
