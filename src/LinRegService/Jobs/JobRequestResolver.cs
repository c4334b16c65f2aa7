using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;
using Microsoft.Extensions.Options;

namespace LinRegService.Jobs;

/// <summary>
/// Turns a request into a runnable job: fills in the book's defaults, draws missing seeds (below
/// 2^53, so every JSON client reads them exactly), resolves a warm start, and collects every bad
/// field at once.
/// </summary>
internal sealed class JobRequestResolver(VisibleJobs jobs, IDatasetStore datasets, ICaller caller, IOptions<JobsOptions> options)
{
    /// <summary>Seeds stay below 2^53 so every JSON client reads them exactly (the OpenAPI document states it too).</summary>
    internal const long MaxSeed = 1L << 53;

    /// <summary>The shortest runtime limit a request may set: below it a job could only fail at once.</summary>
    public const double MinRuntimeSeconds = 0.1;

    /// <summary>The resolved job, or the bad fields (and whether the problem is a conflict rather than bad input).</summary>
    public async Task<(ResolvedJob? Job, Dictionary<string, string[]> Errors, bool Conflict)> ResolveAsync(JobRequest request, CancellationToken cancellationToken)
    {
        JobsOptions settings = options.Value;
        var errors = new Dictionary<string, string[]>();
        bool conflict = false;
        TrainingRequest training = request.Training ?? new TrainingRequest();
        DatasetRequest dataset = request.Dataset ?? new DatasetRequest();

        WarmStart? warmStart = null;
        if (training.WarmStartFrom is { } sourceId)
        {
            JobRecord? source = await jobs.FindAsync(sourceId, cancellationToken); // another key's job is no job
            if (source is null)
            {
                errors["training.warmStartFrom"] = [$"No job has the id '{sourceId}'."];
            }
            else if (source.Status != JobStatus.Succeeded || source.Result is null)
            {
                errors["training.warmStartFrom"] = [$"Job '{sourceId}' is {JobStatusText.Of(source.Status)}; only a succeeded job can be continued."];
                conflict = true;
            }
            else if (request.Dataset is not null)
            {
                errors["dataset"] = ["Leave the dataset out with warmStartFrom: the continued job's dataset is used."];
            }
            else
            {
                dataset = source.Request.Dataset!;
                warmStart = new WarmStart(source.Result.Weights, source.Result.Bias);
            }
        }

        DatasetRecord? stored = null;
        if (dataset.Id is { } datasetId)
        {
            CheckNoSyntheticFields(dataset, errors);
            stored = await datasets.GetAsync(datasetId, cancellationToken);
            if (stored is null || !caller.CanSee(stored.Owner)) // another key's dataset is no dataset
            {
                if (warmStart is not null)
                {
                    errors["training.warmStartFrom"] = [$"Job '{training.WarmStartFrom}' trained on dataset '{datasetId}', which no longer exists."];
                }
                else
                {
                    errors["dataset.id"] = [$"No dataset has the id '{datasetId}'."];
                }
                stored = null;
            }
        }

        // "with" keeps what has no book default to fill (the later options), so new fields flow through.
        DatasetRequest resolvedDataset = dataset.Id is { } id ? new DatasetRequest { Id = id } : dataset with
        {
            Weights = dataset.Weights ?? BookDefaults.Weights,
            Bias = dataset.Bias ?? BookDefaults.Bias,
            Examples = dataset.Examples ?? BookDefaults.Examples,
            NoiseStd = dataset.NoiseStd ?? BookDefaults.NoiseStd,
            FeatureStd = dataset.FeatureStd ?? BookDefaults.FeatureStd,
            Seed = dataset.Seed ?? System.Random.Shared.NextInt64(MaxSeed),
        };
        double maxRuntimeCap = settings.MaxRuntime.TotalSeconds;
        TrainingRequest resolvedTraining = training with
        {
            LearningRate = training.LearningRate ?? BookDefaults.LearningRate,
            BatchSize = training.BatchSize ?? BookDefaults.BatchSize,
            Epochs = training.Epochs ?? BookDefaults.Epochs,
            InitStd = training.InitStd ?? BookDefaults.InitStd,
            Seed = training.Seed ?? System.Random.Shared.NextInt64(MaxSeed),
            MaxRuntimeSeconds = training.MaxRuntimeSeconds ?? maxRuntimeCap,
        };
        // Left out, the book's 10 rows, or as many as fit the samples' size limit on a wide dataset.
        int features = Math.Max(1, stored?.Features ?? resolvedDataset.Weights?.Length ?? 0);
        int sampleCount = request.SampleCount ?? Math.Min(BookDefaults.SampleCount, settings.MaxSampleValues / features);

        CheckOutlierPairs(dataset.Outliers, errors);
        if (resolvedDataset.Seed is { } datasetSeed)
        {
            CheckSeed("dataset.seed", datasetSeed, errors);
        }
        CheckSeed("training.seed", resolvedTraining.Seed.Value, errors);
        if (sampleCount < 0 || sampleCount > settings.MaxSampleCount)
        {
            errors["sampleCount"] = [$"sampleCount must be between 0 and {settings.MaxSampleCount}; got {sampleCount}."];
        }
        else if ((long)sampleCount * features > settings.MaxSampleValues)
        {
            errors["sampleCount"] = [$"sampleCount × features must be at most {settings.MaxSampleValues} values; got {sampleCount} × {features} = {(long)sampleCount * features}. "
                + "Read more rows with GET /api/jobs/{id}/samples."];
        }
        double maxRuntime = resolvedTraining.MaxRuntimeSeconds.Value;
        if (!double.IsFinite(maxRuntime) || maxRuntime < MinRuntimeSeconds || maxRuntime > maxRuntimeCap)
        {
            errors["training.maxRuntimeSeconds"] = [$"maxRuntimeSeconds must be between {MinRuntimeSeconds} and {maxRuntimeCap}; got {maxRuntime}."];
        }

        if (resolvedDataset.Id is not null && stored is null)
        {
            return (null, errors, conflict); // nothing to check the options against
        }
        var resolvedRequest = OptionDefaults.Fill(new JobRequest { Dataset = resolvedDataset, Training = resolvedTraining, SampleCount = sampleCount });
        ResolvedJob job = ResolvedJob.From(resolvedRequest, warmStart, stored);
        foreach (IGrouping<string, ValidationError> field in job.Validate(settings.Limits).GroupBy(e => e.Field))
        {
            errors.TryAdd(field.Key, [.. field.Select(e => e.Message)]);
        }

        return errors.Count > 0 ? (null, errors, conflict) : (job, errors, false);
    }

    /// <summary>A stored dataset's rows are its own: every synthetic parameter given beside <c>dataset.id</c> is named.</summary>
    private static void CheckNoSyntheticFields(DatasetRequest dataset, Dictionary<string, string[]> errors)
    {
        (string Name, bool Given)[] synthetic =
        [
            ("weights", dataset.Weights is not null), ("bias", dataset.Bias is not null), ("examples", dataset.Examples is not null),
            ("noiseStd", dataset.NoiseStd is not null), ("featureStd", dataset.FeatureStd is not null), ("seed", dataset.Seed is not null),
            ("outliers", dataset.Outliers is not null), ("order", dataset.Order is not null),
        ];
        foreach ((string name, bool given) in synthetic)
        {
            if (given)
            {
                errors[$"dataset.{name}"] = [$"Leave {name} out with dataset.id: {name} is a parameter of synthetic data, and a stored dataset's rows are its own."];
            }
        }
    }

    /// <summary>What goes together: named rows need their label, a fraction its shift and a shift its fraction.</summary>
    private static void CheckOutlierPairs(OutliersRequest? outliers, Dictionary<string, string[]> errors)
    {
        if (outliers is null)
        {
            return;
        }
        if (outliers.Rows is { Length: > 0 } && outliers.Label is null)
        {
            errors["dataset.outliers.label"] = ["Give the label the named rows get (label is required with rows)."];
        }
        if (outliers.Fraction is not null && outliers.Shift is null)
        {
            errors["dataset.outliers.shift"] = ["Give the shift added to the chosen rows' labels (shift is required with fraction)."];
        }
        if (outliers.Shift is not null && outliers.Fraction is null)
        {
            errors["dataset.outliers.fraction"] = ["Give the fraction of rows to shift (fraction is required with shift)."];
        }
    }

    private static void CheckSeed(string field, long seed, Dictionary<string, string[]> errors)
    {
        if (seed < 0 || seed >= MaxSeed)
        {
            errors[field] = [$"{field.Split('.')[^1]} must be between 0 and 2^53 − 1 (9007199254740991); got {seed}."];
        }
    }
}
