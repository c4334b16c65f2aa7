using System.Diagnostics;
using System.Text.Json;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Benchmarks.SideBySide;

/// <summary>
/// The engine's side of the side-by-side harness: runs one configuration <c>--repeat</c> times in
/// this process and prints one JSON line per run (the peers print the same fields).
/// </summary>
internal static class EngineWorker
{
    public static int Run(IReadOnlyList<string> args)
    {
        JobArguments job = JobArguments.Parse(args);
        var dataset = new DatasetSpec(job.TrueWeights(), 4.2f, job.Examples, job.NoiseStd, job.FeatureStd, Seed: 42);
        var options = new TrainingOptions
        {
            LearningRate = job.LearningRate,
            BatchSize = job.BatchSize,
            Epochs = job.Epochs,
            InitStd = job.InitStd,
            Seed = 7,
        };
        var limits = new TrainingLimits();
        for (int run = 0; run < job.Repeat; run++)
        {
            Console.WriteLine(job.TrainOnly ? TrainOnly(dataset, options) : WholeJob(dataset, options, limits));
        }
        return 0;
    }

    /// <summary>Generation, training and the closed form, timed by the run itself.</summary>
    private static string WholeJob(DatasetSpec dataset, TrainingOptions options, TrainingLimits limits)
    {
        var clock = Stopwatch.StartNew();
        RunResult result = LinearRegressionRun.Execute(dataset, options, limits);
        double wholeMs = clock.Elapsed.TotalMilliseconds;
        return Line(result.Timings.GenerateMs, result.Timings.TrainMs, wholeMs, options.Epochs, result.EpochLosses[^1], result.Weights, result.Timings.ClosedFormMs);
    }

    /// <summary>Training alone on data generated beforehand (the book's "training only" figure).</summary>
    private static string TrainOnly(DatasetSpec dataset, TrainingOptions options)
    {
        var clock = Stopwatch.StartNew();
        Dataset data = DatasetGenerator.Generate(dataset);
        double generateMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        TrainingResult result = SgdTrainer.Train(data, options);
        double trainMs = clock.Elapsed.TotalMilliseconds;
        return Line(generateMs, trainMs, generateMs + trainMs, options.Epochs, result.EpochLosses[^1], result.Weights, 0);
    }

    private static string Line(double generateMs, double trainMs, double wholeMs, int epochs, double finalLoss, float[] weights, double closedFormMs) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["gen_s"] = generateMs / 1000,
            ["train_s"] = trainMs / 1000,
            ["whole_s"] = wholeMs / 1000,
            ["closed_form_s"] = closedFormMs / 1000,
            ["epoch_s"] = trainMs / 1000 / epochs,
            ["final_loss"] = finalLoss,
            ["w0"] = weights[0],
            ["peak_rss"] = PeakMemory.Bytes(),
        });
}
