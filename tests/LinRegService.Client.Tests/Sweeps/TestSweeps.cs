using LinRegService.Contracts;

namespace LinRegService.Client.Tests.Sweeps;

/// <summary>Sweeps the tests share.</summary>
public static class TestSweeps
{
    /// <summary>The book's run (seeds fixed, no samples) at each of <paramref name="rates"/>.</summary>
    public static SweepRequest LearningRates(params double[] rates) => new()
    {
        Base = new JobRequest
        {
            Dataset = new DatasetRequest { Seed = 42 },
            Training = new TrainingRequest { Seed = 7 },
            SampleCount = 0,
        },
        Grid = new Dictionary<string, IReadOnlyList<System.Text.Json.JsonElement>>
        {
            ["training.learningRate"] = SweepRequest.Values(rates),
        },
    };

    /// <summary>Two grid points of a run that would train for minutes; tests cancel it.</summary>
    public static SweepRequest LongRunning() => new()
    {
        Base = Support.TestJobs.LongRunning(),
        Grid = new Dictionary<string, IReadOnlyList<System.Text.Json.JsonElement>>
        {
            ["training.learningRate"] = SweepRequest.Values(0.01, 0.03),
        },
    };

    /// <summary>The learning rate of one grid point.</summary>
    public static double LearningRate(this SweepJob job) => job.Values["training.learningRate"].GetDouble();
}
