using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Validation;

/// <summary>The rules of the training options beyond the book's (loss, order, schedule, early stopping) and of a dataset's outliers.</summary>
internal static class OptionsValidator
{
    public static void ValidateTrainingOptions(TrainingOptions training, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(training.Loss))
        {
            errors.Add(new("training.loss", $"loss must be squared, absolute or huber; got {training.Loss}."));
        }
        if (!float.IsFinite(training.HuberDelta) || training.HuberDelta <= 0)
        {
            errors.Add(new("training.huberDelta", $"huberDelta must be a finite number > 0; got {training.HuberDelta}."));
        }
        if (!Enum.IsDefined(training.Schedule))
        {
            errors.Add(new("training.schedule", $"schedule must be constant, invScaling or step; got {training.Schedule}."));
        }
        if (!float.IsFinite(training.DecayPower) || training.DecayPower < 0)
        {
            errors.Add(new("training.decayPower", $"decayPower must be a finite number ≥ 0; got {training.DecayPower}."));
        }
        if (training.DecayEvery < 1)
        {
            errors.Add(new("training.decayEvery", $"decayEvery must be at least 1 (epochs); got {training.DecayEvery}."));
        }
        if (!float.IsFinite(training.DecayFactor) || training.DecayFactor <= 0 || training.DecayFactor > 1)
        {
            errors.Add(new("training.decayFactor", $"decayFactor must be in (0, 1]; got {training.DecayFactor}."));
        }
        if (training.Tolerance is { } tolerance && (!double.IsFinite(tolerance) || tolerance < 0))
        {
            errors.Add(new("training.tolerance", $"tolerance must be a finite number ≥ 0; got {tolerance}."));
        }
        if (training.Patience < 1)
        {
            errors.Add(new("training.patience", $"patience must be at least 1 (epochs); got {training.Patience}."));
        }
    }

    public static void ValidateOutliers(DatasetOutliers outliers, int examples, List<ValidationError> errors)
    {
        IReadOnlyList<int> rows = outliers.Rows ?? [];
        if (rows.Count > DatasetOutliers.MaxRows)
        {
            errors.Add(new("dataset.outliers.rows", $"At most {DatasetOutliers.MaxRows} rows may be named; got {rows.Count}."));
        }
        else
        {
            var seen = new HashSet<int>();
            var bad = new RunValidator.BadItems("dataset.outliers.rows", "are out of range or repeated");
            for (int i = 0; i < rows.Count; i++)
            {
                string field = $"dataset.outliers.rows[{i}]";
                string? problem = rows[i] < 0 || rows[i] >= examples
                    ? $"A row must be between 0 and examples − 1 ({examples - 1}); {field} is {rows[i]}."
                    : !seen.Add(rows[i]) ? $"Row {rows[i]} is named twice; {field} repeats it." : null;
                if (problem is not null && bad.Name(i))
                {
                    errors.Add(new(field, problem));
                }
            }
            bad.AddUnnamed(errors);
        }
        if (!float.IsFinite(outliers.Label))
        {
            errors.Add(new("dataset.outliers.label", $"label must be a finite number; got {outliers.Label}."));
        }
        if (!double.IsFinite(outliers.Fraction) || outliers.Fraction < 0 || outliers.Fraction > 1)
        {
            errors.Add(new("dataset.outliers.fraction", $"fraction must be between 0 and 1; got {outliers.Fraction}."));
        }
        if (!float.IsFinite(outliers.Shift))
        {
            errors.Add(new("dataset.outliers.shift", $"shift must be a finite number; got {outliers.Shift}."));
        }
    }
}
