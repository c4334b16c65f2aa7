using System.Diagnostics;
using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// A canceled token stops a long job with OperationCanceledException, promptly. The work between
/// two looks at the token is a fraction of a millisecond by design; the bound here, 2 s from the
/// cancel to the exception, is generous enough for a loaded 2-core machine and still far below
/// what the job would take (tens of seconds) if the token were ignored.
/// </summary>
[Collection(LargeData.Name)]
public class CancellationTests
{
    private static readonly TimeSpan _promptly = TimeSpan.FromSeconds(2);

    /// <summary>2 000 000 × 16: 128 MB of features, 50 epochs — many seconds of work.</summary>
    private static readonly DatasetSpec _large = new(
        [.. Enumerable.Range(0, 16).Select(i => (i % 3) - 1f)], 0.5f, 2_000_000, 0.01f, 0.25f, Seed: 1);

    private static readonly TrainingOptions _manyEpochs = new() { Epochs = 50, Seed = 1 };

    [Fact]
    public void Canceling_a_whole_run_throws_promptly()
    {
        TimeSpan latency = MeasureCancellation(token =>
            LinearRegressionRun.Execute(_large, _manyEpochs, new TrainingLimits(), cancellationToken: token));

        Assert.True(latency < _promptly, $"took {latency.TotalMilliseconds:F0} ms after the cancel");
    }

    [Fact]
    public void Canceling_training_throws_promptly()
    {
        // Data generated first, so the cancel lands inside the epochs (bucketed path: 2M × 17 × 4 B ≫ 1 MiB).
        Dataset data = DatasetGenerator.Generate(_large);

        TimeSpan latency = MeasureCancellation(token => SgdTrainer.Train(data, _manyEpochs, cancellationToken: token));

        Assert.True(latency < _promptly, $"took {latency.TotalMilliseconds:F0} ms after the cancel");
    }

    [Fact]
    public void Generate_honours_a_canceled_token()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => DatasetGenerator.Generate(_large, cancellationToken: source.Token));
    }

    [Fact]
    public void Small_training_and_the_closed_form_honour_a_canceled_token()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(1));
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SgdTrainer.Train(data, new TrainingOptions(), cancellationToken: source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => LeastSquares.Solve(data, cancellationToken: source.Token));
    }

    /// <summary>Runs <paramref name="job"/>, cancels it after 100 ms, and returns the time from the cancel to the exception.</summary>
    private static TimeSpan MeasureCancellation(Action<CancellationToken> job)
    {
        using var source = new CancellationTokenSource();
        long canceledAt = 0;
        using CancellationTokenRegistration registration = source.Token.Register(() => Volatile.Write(ref canceledAt, Stopwatch.GetTimestamp()));
        source.CancelAfter(TimeSpan.FromMilliseconds(100));

        OperationCanceledException error = Assert.ThrowsAny<OperationCanceledException>(() => job(source.Token));

        long thrownAt = Stopwatch.GetTimestamp();
        Assert.Equal(source.Token, error.CancellationToken);
        Assert.NotEqual(0, Volatile.Read(ref canceledAt));
        return Stopwatch.GetElapsedTime(Volatile.Read(ref canceledAt), thrownAt);
    }
}
