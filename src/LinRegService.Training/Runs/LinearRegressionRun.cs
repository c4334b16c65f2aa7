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

        if (!GeneratesPacked(dataset, training))
        {
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
        return RunPacked(dataset, training, limits, progress, cancellationToken);
    }

    /// <summary>
    /// Whether a run generates its rows straight into training's one packed copy: unless they are
    /// ordered by label (sorted as a whole first) or standardized (trained on a scaled copy).
    /// </summary>
    private static bool GeneratesPacked(DatasetSpec dataset, TrainingOptions training) =>
        dataset.Order != RowOrder.SortedByLabel && !training.Standardize;

    /// <summary>
    /// Generate into the arena → closed form on the rows in dataset order → train, which shuffles
    /// them in place: one copy of the data for the whole run. The closed form comes first because
    /// training leaves the rows in its last epoch's order, and the optimum is the dataset's, the
    /// same bits whatever the training options.
    /// </summary>
    private static RunResult RunPacked(DatasetSpec dataset, TrainingOptions training, TrainingLimits limits, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using PackedDataset data = SgdTrainer.AllocatePacked(dataset.Examples, dataset.Features, training);
        DatasetGenerator.GeneratePacked(dataset, data, training.MaxDegreeOfParallelism, cancellationToken);
        double generateMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        (ClosedFormSolution? optimum, string? closedFormNote) = SolveClosedForm(data.Examples, data.Features, limits,
            () => LeastSquares.Solve(data, training.MaxDegreeOfParallelism, cancellationToken));
        double closedFormMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        TrainingResult learned = SgdTrainer.Train(data, training, progress, cancellationToken);
        double trainMs = clock.Elapsed.TotalMilliseconds;
        return Result(learned, new TrueModel(dataset.Weights, dataset.Bias), optimum, closedFormNote,
            new RunTimings(generateMs, trainMs, closedFormMs) { ClosedFormFirst = true });
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
        (ClosedFormSolution? optimum, string? closedFormNote) = SolveClosedForm(data.Examples, data.FeatureCount, limits,
            () => LeastSquares.Solve(data, training.MaxDegreeOfParallelism, cancellationToken));
        double closedFormMs = clock.Elapsed.TotalMilliseconds;
        return Result(learned, truth, optimum, closedFormNote, new RunTimings(generateMs, trainMs, closedFormMs));
    }

    /// <summary>The learned model, its errors when the truth is known, and the optimum.</summary>
    private static RunResult Result(TrainingResult learned, TrueModel? truth, ClosedFormSolution? optimum, string? closedFormNote, RunTimings timings)
    {
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
        return new RunResult(learned.Weights, learned.Bias, learned.EpochLosses, weightError, biasError, optimum, timings)
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
    /// runs: the packed rows training shuffles in place (generated straight into them, or, for data
    /// ordered by label or standardized, packed from a generated dataset, which is counted too, with
    /// what ordering it takes), what training adds (the row order, the shuffle's counts), and the
    /// closed form's, all counted together. Parameters that fail
    /// <see cref="RunValidator"/> are estimated as given; validate first.
    /// </summary>
    public static long EstimatePeakBytes(DatasetSpec dataset, TrainingOptions training, TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(limits);
        long examples = Math.Max(0, dataset.Examples);
        int features = Math.Max(1, dataset.Features);
        long rows = GeneratesPacked(dataset, training) ? 0 : Dataset.BytesFor(examples, features) + DatasetGenerator.OrderingBytes(dataset);
        return rows
            + SgdTrainer.PackedBytes(examples, features, training)
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
            + SgdTrainer.PackedBytes(examples, features, training)
            + SgdTrainer.EstimateBytes(examples, features, training)
            + LeastSquares.EstimateBytes((int)Math.Min(examples, int.MaxValue), features, limits)
            + SmallAllocations;
    }

    /// <summary>The optimum (<paramref name="solve"/>), or null with the reason written for a person: too large to afford, or not finite in float32.</summary>
    private static (ClosedFormSolution? Optimum, string? Note) SolveClosedForm(int examples, int features, TrainingLimits limits, Func<ClosedFormSolution> solve)
    {
        if (!LeastSquares.IsAffordable(examples, features, limits))
        {
            return (null, $"Not computed: {examples} rows × {features} features is beyond the closed form's limits "
                + $"(at most {limits.MaxClosedFormFeatures} features and {limits.MaxClosedFormWork} multiply-adds).");
        }
        ClosedFormSolution optimum = solve();
        if (!optimum.IsFinite)
        {
            return (null, "Not available: the least-squares solution is not a finite float32 number for this data "
                + "(the features are too small or too large for the normal equations).");
        }
        return (optimum, null);
    }
}
