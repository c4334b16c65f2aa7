using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Jobs;

/// <summary>Where a job's rows come from: generated from a synthetic spec, or a stored (uploaded) dataset.</summary>
internal abstract record DatasetSource
{
    private DatasetSource()
    {
    }

    /// <summary>Number of rows.</summary>
    public abstract int Examples { get; }

    /// <summary>Features per row.</summary>
    public abstract int Features { get; }

    /// <summary>The column names of the features (x) and of the label (y), for plots.</summary>
    public abstract (string Feature, string Label) AxisNames(int feature);

    /// <summary>Rows [offset, offset + count) of the job's data: regenerated from the seed, or read from the store.</summary>
    public abstract Task<Dataset> ReadRowsAsync(IDatasetStore datasets, int offset, int count, CancellationToken cancellationToken);

    /// <summary><c>y = Xw + b + ε</c> from its seed: never stored, regenerated where needed; its truth is known.</summary>
    public sealed record Synthetic(DatasetSpec Spec) : DatasetSource
    {
        public override int Examples => Spec.Examples;

        public override int Features => Spec.Features;

        public override (string Feature, string Label) AxisNames(int feature) => ($"feature x[{feature}]", "label y");

        public override Task<Dataset> ReadRowsAsync(IDatasetStore datasets, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(DatasetGenerator.GenerateRows(Spec, offset, count));
    }

    /// <summary>An uploaded dataset's rows, read from the store; no truth is known.</summary>
    public sealed record Stored(DatasetRecord Dataset) : DatasetSource
    {
        // The engine's limits (far below int.MaxValue rows) are checked by the resolver; clamp so reading never overflows.
        public override int Examples => (int)Math.Min(Dataset.Rows, int.MaxValue);

        public override int Features => Dataset.Features;

        public override (string Feature, string Label) AxisNames(int feature) => (Dataset.FeatureNames[feature], Dataset.LabelName);

        public override Task<Dataset> ReadRowsAsync(IDatasetStore datasets, int offset, int count, CancellationToken cancellationToken) =>
            datasets.ReadRowsAsync(Dataset, offset, count, cancellationToken);
    }
}

/// <summary>A request with every default and seed filled in, in the engine's terms.</summary>
internal sealed record ResolvedJob(JobRequest Request, DatasetSource Source, TrainingOptions Training, int SampleCount, TimeSpan MaxRuntime, WarmStart? WarmStart)
{
    /// <summary>The synthetic spec; null for a job on a stored dataset.</summary>
    public DatasetSpec? Spec => (Source as DatasetSource.Synthetic)?.Spec;

    /// <summary>
    /// The one mapping from a resolved request (every field filled in) to the engine's specs: the
    /// resolver validates what it builds, and the executor, samples and plots rebuild the same
    /// from a stored job, so they cannot drift apart. A request naming a stored dataset
    /// (<c>dataset.id</c>) needs that dataset's record, <paramref name="stored"/> (looked up by
    /// the caller, which decides what a missing one means).
    /// </summary>
    /// <remarks>A job stored before the later options has them absent: they take <see cref="OptionDefaults"/>, today's behaviour.</remarks>
    /// <exception cref="ArgumentException">The request names a stored dataset and <paramref name="stored"/> is not it.</exception>
    public static ResolvedJob From(JobRequest request, WarmStart? warmStart, DatasetRecord? stored = null)
    {
        DatasetRequest d = OptionDefaults.Fill(request.Dataset!);
        DatasetSource source;
        if (d.Id is { } id)
        {
            source = stored is not null && stored.Id == id
                ? new DatasetSource.Stored(stored)
                : throw new ArgumentException($"The request trains on dataset '{id}': give its record.", nameof(stored));
        }
        else
        {
            source = new DatasetSource.Synthetic(new DatasetSpec(d.Weights!, d.Bias!.Value, d.Examples!.Value, d.NoiseStd!.Value, d.FeatureStd!.Value, d.Seed!.Value)
            {
                Outliers = d.Outliers is { } o ? new DatasetOutliers { Rows = o.Rows!, Label = o.Label!.Value, Fraction = o.Fraction!.Value, Shift = o.Shift!.Value } : null,
                // The contract's enums list the engine's in the same order; a value outside them stays outside, for the validator to name.
                Order = (RowOrder)(int)d.Order!.Value,
            });
        }
        TrainingRequest t = OptionDefaults.Fill(request.Training!);
        var training = new TrainingOptions
        {
            LearningRate = t.LearningRate!.Value,
            BatchSize = t.BatchSize!.Value,
            Epochs = t.Epochs!.Value,
            InitStd = t.InitStd!.Value,
            Seed = t.Seed!.Value,
            InitialWeights = warmStart?.Weights,
            InitialBias = warmStart?.Bias ?? 0f,
            Loss = (LossKind)(int)t.Loss!.Value,
            HuberDelta = t.HuberDelta!.Value,
            Shuffle = t.Shuffle!.Value,
            Schedule = (ScheduleKind)(int)t.Schedule!.Value,
            DecayPower = t.DecayPower!.Value,
            DecayEvery = t.DecayEvery!.Value,
            DecayFactor = t.DecayFactor!.Value,
            Tolerance = t.Tolerance,
            Patience = t.Patience!.Value,
            Standardize = t.Standardize!.Value,
        };
        // A runtime limit that does not fit a TimeSpan is refused by the resolver; clamp so building never throws.
        double seconds = Math.Clamp(t.MaxRuntimeSeconds!.Value, 0, TimeSpan.MaxValue.TotalSeconds / 2);
        return new ResolvedJob(request, source, training, request.SampleCount ?? 0, TimeSpan.FromSeconds(double.IsNaN(seconds) ? 0 : seconds), warmStart);
    }

    /// <summary>The id of the stored dataset a request trains on, or null for synthetic data.</summary>
    public static string? StoredDatasetId(JobRequest request) => request.Dataset?.Id;

    /// <summary>The engine's view of a stored job on synthetic data (its request is already resolved).</summary>
    /// <exception cref="ArgumentException">The job trains on a stored dataset: use <see cref="FromRecordAsync"/>.</exception>
    public static ResolvedJob FromRecord(JobRecord record) => From(record.Request, record.WarmStart);

    /// <summary>The engine's view of any stored job; null when the stored dataset it trains on has been deleted since.</summary>
    public static async Task<ResolvedJob?> FromRecordAsync(JobRecord record, IDatasetStore datasets, CancellationToken cancellationToken)
    {
        if (StoredDatasetId(record.Request) is not { } id)
        {
            return FromRecord(record);
        }
        // The job was let in while its owner could see the dataset; the dataset is read by id now, whoever calls.
        DatasetRecord? stored = await datasets.GetAsync(id, cancellationToken);
        return stored is null ? null : From(record.Request, record.WarmStart, stored);
    }

    /// <summary>The rows' validation: the synthetic spec's, or the options' on the stored dataset's shape.</summary>
    public IReadOnlyList<ValidationError> Validate(TrainingLimits limits) => Source switch
    {
        DatasetSource.Synthetic synthetic => RunValidator.Validate(synthetic.Spec, Training, limits),
        _ => RunValidator.Validate(Source is DatasetSource.Stored s ? s.Dataset.Rows : Source.Examples, Source.Features, Training, limits),
    };

    /// <summary>The estimated peak memory of running this job.</summary>
    public long EstimatePeakBytes(TrainingLimits limits) => Source switch
    {
        DatasetSource.Synthetic synthetic => LinearRegressionRun.EstimatePeakBytes(synthetic.Spec, Training, limits),
        DatasetSource.Stored stored => LinearRegressionRun.EstimatePeakBytes(stored.Dataset.Rows, stored.Dataset.Features, Training, limits),
        _ => throw new InvalidOperationException("Unknown dataset source."),
    };
}
