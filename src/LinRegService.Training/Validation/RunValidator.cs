using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Validation;

/// <summary>
/// Checks a run's parameters and returns every problem as data (field and message), so a caller
/// can show them all at once; an empty list means the run can start.
/// </summary>
public static class RunValidator
{
    /// <summary>Bad items of one list (weights, rows) named one by one; one more line, on the next bad item, counts the rest, so a long bad list does not make a longer answer.</summary>
    public const int MaxListedErrors = 20;

    /// <summary>Counts a list's bad items, says which to name, and words the rest as one error on the first one not named.</summary>
    internal sealed class BadItems(string field, string what)
    {
        private int _count;
        private int _firstUnnamed = -1;

        /// <summary>Counts bad item <paramref name="index"/>; true while it is among the first <see cref="MaxListedErrors"/>.</summary>
        public bool Name(int index)
        {
            if (++_count == MaxListedErrors + 1)
            {
                _firstUnnamed = index;
            }
            return _count <= MaxListedErrors;
        }

        public void AddUnnamed(List<ValidationError> errors)
        {
            if (_firstUnnamed >= 0)
            {
                errors.Add(new($"{field}[{_firstUnnamed}]",
                    $"{field}[{_firstUnnamed}] and {_count - MaxListedErrors - 1} more items after it {what} ({_count} in all; the first {MaxListedErrors} are named one by one)."));
            }
        }
    }

    /// <summary>Every problem with <paramref name="dataset"/> and <paramref name="training"/> under <paramref name="limits"/>.</summary>
    public static IReadOnlyList<ValidationError> Validate(DatasetSpec dataset, TrainingOptions training, TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new List<ValidationError>();
        ValidateDataset(dataset, limits, errors);
        ValidateTraining(dataset.Examples, dataset.Weights?.Count, training, limits, errors);
        return errors;
    }

    /// <summary>
    /// Every problem with <paramref name="training"/> on given rows (a stored dataset):
    /// <paramref name="examples"/> × <paramref name="features"/> within the limits (reported on <c>dataset.id</c>), and the options.
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(long examples, int features, TrainingOptions training, TrainingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new List<ValidationError>();
        if (examples < 1 || examples > limits.MaxExamples)
        {
            errors.Add(new("dataset.id", $"The dataset must have between 1 and {limits.MaxExamples} rows to train on; it has {examples}."));
        }
        else if (features < 1 || features > limits.MaxFeatures)
        {
            errors.Add(new("dataset.id", $"The dataset must have between 1 and {limits.MaxFeatures} features to train on; it has {features}."));
        }
        else if (examples * features > limits.MaxValues)
        {
            errors.Add(new("dataset.id", $"rows × features must be at most {limits.MaxValues} to train on; the dataset has {examples} × {features} = {examples * features}."));
        }
        ValidateTraining((int)Math.Min(examples, int.MaxValue), features, training, limits, errors);
        return errors;
    }

    private static void ValidateDataset(DatasetSpec dataset, TrainingLimits limits, List<ValidationError> errors)
    {
        if (dataset.Weights is null || dataset.Weights.Count == 0)
        {
            errors.Add(new("dataset.weights", "Give at least one weight (one per feature)."));
        }
        else if (dataset.Weights.Count > limits.MaxFeatures)
        {
            errors.Add(new("dataset.weights", $"At most {limits.MaxFeatures} weights (features) are allowed; got {dataset.Weights.Count}."));
        }
        else
        {
            AddNonFinite("dataset.weights", dataset.Weights, errors);
        }
        RequireFinite("dataset.bias", dataset.Bias, errors);

        if (dataset.Examples < 1 || dataset.Examples > limits.MaxExamples)
        {
            errors.Add(new("dataset.examples", $"examples must be between 1 and {limits.MaxExamples}; got {dataset.Examples}."));
        }
        else if (dataset.Weights is { Count: > 0 } weights && (long)dataset.Examples * weights.Count > limits.MaxValues)
        {
            errors.Add(new("dataset.examples",
                $"examples × features must be at most {limits.MaxValues}; got {dataset.Examples} × {weights.Count} = {(long)dataset.Examples * weights.Count}."));
        }

        if (!float.IsFinite(dataset.NoiseStd) || dataset.NoiseStd < 0)
        {
            errors.Add(new("dataset.noiseStd", $"noiseStd must be a finite number ≥ 0; got {dataset.NoiseStd}."));
        }
        if (!float.IsFinite(dataset.FeatureStd) || dataset.FeatureStd <= 0)
        {
            errors.Add(new("dataset.featureStd", $"featureStd must be a finite number > 0; got {dataset.FeatureStd}."));
        }
        if (!Enum.IsDefined(dataset.Order))
        {
            errors.Add(new("dataset.order", $"order must be generated or sortedByLabel; got {dataset.Order}."));
        }
        if (dataset.Outliers is { } outliers)
        {
            OptionsValidator.ValidateOutliers(outliers, dataset.Examples, errors);
        }
        if (errors.Count == 0)
        {
            FiniteRangeCheck.Validate(dataset, errors);
        }
    }

    private static void ValidateTraining(int examples, int? features, TrainingOptions training, TrainingLimits limits, List<ValidationError> errors)
    {
        if (!float.IsFinite(training.LearningRate) || training.LearningRate <= 0)
        {
            errors.Add(new("training.learningRate", $"learningRate must be a finite number > 0; got {training.LearningRate}."));
        }
        if (training.BatchSize < 1 || (examples >= 1 && training.BatchSize > examples))
        {
            errors.Add(new("training.batchSize", $"batchSize must be between 1 and examples ({examples}); got {training.BatchSize}."));
        }
        if (training.Epochs < 1 || training.Epochs > limits.MaxEpochs)
        {
            errors.Add(new("training.epochs", $"epochs must be between 1 and {limits.MaxEpochs}; got {training.Epochs}."));
        }
        if (!float.IsFinite(training.InitStd) || training.InitStd < 0)
        {
            errors.Add(new("training.initStd", $"initStd must be a finite number ≥ 0; got {training.InitStd}."));
        }
        if (training.InitialWeights is { } initial)
        {
            if (features is { } count && initial.Count != count)
            {
                errors.Add(new("training.initialWeights", $"The warm start has {initial.Count} weights but the dataset has {count} features."));
            }
            AddNonFinite("training.initialWeights", initial, errors);
        }
        RequireFinite("training.initialBias", training.InitialBias, errors);
        OptionsValidator.ValidateTrainingOptions(training, errors);
    }

    private static void AddNonFinite(string field, IReadOnlyList<float> values, List<ValidationError> errors)
    {
        var bad = new BadItems(field, "are not finite numbers");
        for (int i = 0; i < values.Count; i++)
        {
            if (!float.IsFinite(values[i]) && bad.Name(i))
            {
                errors.Add(new($"{field}[{i}]", $"Every value must be a finite number; {field}[{i}] is {values[i]}."));
            }
        }
        bad.AddUnnamed(errors);
    }

    private static void RequireFinite(string field, float value, List<ValidationError> errors)
    {
        if (!float.IsFinite(value))
        {
            errors.Add(new(field, $"{field} must be a finite number; got {value}."));
        }
    }
}
