using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.ClosedForm;

/// <summary>The closed form summed beside training gives the same bits, and stops with a failed run.</summary>
public class BackgroundGramTests
{
    // 50,000 × 64: 50,000·66²/2 ≈ 1.1·10⁸ multiply-adds, above BackgroundGram.MinWork, so a run sums in the background.
    private static readonly DatasetSpec _spec = new([.. Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i))], 0.5f, 50_000, 0.1f, 1f, Seed: 21);

    [Fact]
    public void A_run_sums_in_the_background_and_gets_the_same_bits_as_a_solve_after_training()
    {
        Assert.True(50_000L * 66 * 66 / 2 >= BackgroundGram.MinWork);
        var training = new TrainingOptions { Seed = 4, Epochs = 2, BatchSize = 256, LearningRate = 0.03f };

        RunResult beside = LinearRegressionRun.Execute(_spec, training, new TrainingLimits());
        RunResult after = LinearRegressionRun.Execute(_spec, training with { MaxDegreeOfParallelism = 1 }, new TrainingLimits());
        ClosedFormSolution alone = LeastSquares.Solve(DatasetGenerator.Generate(_spec));

        Assert.NotNull(beside.ClosedForm);
        Assert.NotNull(after.ClosedForm);
        Assert.Equal(alone.Weights, beside.ClosedForm.Weights);
        Assert.Equal(alone.Bias, beside.ClosedForm.Bias);
        Assert.Equal(alone.Loss, beside.ClosedForm.Loss);
        Assert.Equal(alone.Weights, after.ClosedForm.Weights);
        Assert.Equal(alone.Loss, after.ClosedForm.Loss);
    }

    [Fact]
    public void A_diverging_run_stops_the_background_sums_and_throws()
    {
        var training = new TrainingOptions { Seed = 4, Epochs = 3, BatchSize = 256, LearningRate = 50f };

        Assert.Throws<TrainingDivergedException>(() => LinearRegressionRun.Execute(_spec, training, new TrainingLimits()));
    }

    [Fact]
    public void A_canceled_run_stops_the_background_sums()
    {
        var sums = new GramSums(DatasetGenerator.Generate(_spec), wide: null);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        using var background = BackgroundGram.Start(sums, canceled.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => background.Complete(canceled.Token));
    }

    [Fact]
    public void Idle_scheduling_applies_on_Linux()
    {
        bool applied = false;
        var thread = new Thread(() => applied = IdleScheduling.TryApplyToCurrentThread());
        thread.Start();
        thread.Join();

        Assert.Equal(OperatingSystem.IsLinux(), applied);
    }
}
