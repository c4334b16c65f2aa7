using System.Diagnostics;
using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Runs;

/// <summary>The true parameters of a dataset, when known (synthetic data): the run then reports its errors.</summary>
/// <param name="Weights">The true weights w.</param>
/// <param name="Bias">The true bias b.</param>
public sealed record TrueModel(IReadOnlyList<float> Weights, float Bias);

/// <summary>A whole run as the book does it: generate the data, train by minibatch SGD, compare with the truth and the optimum.</summary>
public static class LinearRegressionRun
{
    /// <summary>Runs <paramref name="training"/> on the dataset <paramref name="dataset"/> describes.</summary>
    /// <exception cref="ArgumentException">The parameters fail <see cref="RunValidator"/>.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static RunResult Execute(
        DatasetSpec dataset,
        TrainingOptions training,
        TrainingLimits limits,
        IProgress<EpochLoss>? progress = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ValidationError> errors = RunValidator.Validate(dataset, training, limits);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        var clock = Stopwatch.StartNew();
        Dataset data = DatasetGenerator.Generate(dataset, training.MaxDegreeOfParallelism, cancellationToken);
        double generateMs = clock.Elapsed.TotalMilliseconds;
        try
        {
            return Run(data, training, limits, new TrueModel(dataset.Weights, dataset.Bias), generateMs, progress, cancellationToken);
        }
        finally
        {
            DatasetMemory.Return(data); // this run made the rows and nothing else holds them: the next run of this shape writes into them
        }
    }

    /// <summary>
    /// Runs <paramref name="training"/> on rows given (a stored dataset: nothing is generated, and
    /// <see cref="RunTimings.GenerateMs"/> is 0). With <paramref name="truth"/> the result has the
    /// weight and bias errors; without, they are null.
    /// </summary>
    /// <exception cref="ArgumentException">The options fail <see cref="RunValidator"/> for this data.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static RunResult Execute(
        Dataset data,
        TrainingOptions training,
        TrainingLimits limits,
        TrueModel? truth = null,
        IProgress<EpochLoss>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        IReadOnlyList<ValidationError> errors = RunValidator.Validate(data.Examples, data.FeatureCount, training, limits);
        if (truth is not null && truth.Weights.Count != data.FeatureCount)
        {
            errors = [.. errors, new ValidationError("dataset.weights", $"The truth has {truth.Weights.Count} weights but the data has {data.FeatureCount} features.")];
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        return Run(data, training, limits, truth, 0, progress, cancellationToken);
    }

    /// <summary>Train → closed form → errors (when the truth is known) and timings.</summary>
    private static RunResult Run(
        Dataset data, TrainingOptions training, TrainingLimits limits, TrueModel? truth, double generateMs, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TrainingResult learned = SgdTrainer.Train(data, training, progress, cancellationToken);
        double trainMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        (ClosedFormSolution? optimum, string? closedFormNote) = SolveClosedForm(data, training, limits, cancellationToken);
        double closedFormMs = clock.Elapsed.TotalMilliseconds;

        float[]? weightError = null;
        float? biasError = null;
        if (truth is not null)
        {
            weightError = new float[learned.Weights.Length];
            for (int i = 0; i < weightError.Length; i++)
            {
                weightError[i] = truth.Weights[i] - learned.Weights[i];
            }
            biasError = truth.Bias - learned.Bias;
        }
        return new RunResult(
            learned.Weights,
            learned.Bias,
            learned.EpochLosses,
            weightError,
            biasError,
            optimum,
            new RunTimings(generateMs, trainMs, closedFormMs))
        {
            ClosedFormNote = closedFormNote,
            FinalSquaredLoss = learned.FinalSquaredLoss,
            StoppedEarly = learned.StoppedEarly,
        };
    }

    /// <summary>Small allocations no estimate itemizes: results, per-thread state, the runtime's own.</summary>
    private const long SmallAllocations = 4L << 20;

    /// <summary>
    /// An upper bound of the memory <see cref="Execute(DatasetSpec, TrainingOptions, TrainingLimits, IProgress{EpochLoss}?, CancellationToken)"/> holds at once for this run, before it
    /// runs: the dataset (with what ordering it by label takes), what training adds (the row order and the shuffle buffers), and the
    /// closed form's. All three are counted together: the shuffle buffers outlive training (kept for
    /// the next run), and the closed form runs while they are kept. Parameters that fail
    /// <see cref="RunValidator"/> are estimated as given; validate first.
    /// </summary>
    public static long EstimatePeakBytes(DatasetSpec dataset, TrainingOptions training, TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(limits);
        long examples = Math.Max(0, dataset.Examples);
        int features = Math.Max(1, dataset.Features);
        return Dataset.BytesFor(examples, features)
            + DatasetGenerator.OrderingBytes(dataset)
            + SgdTrainer.EstimateBytes(examples, features, training)
            + LeastSquares.EstimateBytes(dataset.Examples, features, limits)
            + SmallAllocations;
    }

    /// <summary>
    /// An upper bound of the memory a run on a stored dataset of <paramref name="examples"/> rows ×
    /// <paramref name="features"/> features holds at once: the loaded copy of its rows, what training
    /// adds (its standardized copy included) and the closed form's, counted together as for
    /// <see cref="EstimatePeakBytes(DatasetSpec, TrainingOptions, TrainingLimits)"/>.
    /// </summary>
    public static long EstimatePeakBytes(long examples, int features, TrainingOptions training, TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(limits);
        examples = Math.Max(0, examples);
        features = Math.Max(1, features);
        return Dataset.BytesFor(examples, features)
            + SgdTrainer.EstimateBytes(examples, features, training)
            + LeastSquares.EstimateBytes((int)Math.Min(examples, int.MaxValue), features, limits)
            + SmallAllocations;
    }

    /// <summary>The optimum, or null with the reason written for a person: too large to afford, or not finite in float32.</summary>
    private static (ClosedFormSolution? Optimum, string? Note) SolveClosedForm(
        Dataset data, TrainingOptions training, TrainingLimits limits, CancellationToken cancellationToken)
    {
        if (!LeastSquares.IsAffordable(data.Examples, data.FeatureCount, limits))
        {
            return (null, $"Not computed: {data.Examples} rows × {data.FeatureCount} features is beyond the closed form's limits "
                + $"(at most {limits.MaxClosedFormFeatures} features and {limits.MaxClosedFormWork} multiply-adds).");
        }
        ClosedFormSolution optimum = LeastSquares.Solve(data, training.MaxDegreeOfParallelism, cancellationToken);
        if (!optimum.IsFinite)
        {
            return (null, "Not available: the least-squares solution is not a finite float32 number for this data "
                + "(the features are too small or too large for the normal equations).");
        }
        return (optimum, null);
    }
}
