using System.Globalization;

namespace LinRegService.Jobs;

/// <summary>
/// The rows of a predict request checked against the job's width and the row limit, and laid out
/// row after row as the engine reads them. Every bad row is named (<c>features[3]</c>), up to
/// <see cref="MaxRowErrors"/> of them, so a large bad batch does not make a huge answer.
/// </summary>
internal static class PredictionInput
{
    public const int MaxRowErrors = 20;

    public static (float[]? Rows, Dictionary<string, string[]> Errors) Read(
        IReadOnlyList<IReadOnlyList<float>?>? features, int width, int maxRows)
    {
        var errors = new Dictionary<string, string[]>();
        if (features is null || features.Count == 0)
        {
            errors["features"] = [$"Give at least one row of features, each with {Values(width)} (one per feature of the job)."];
            return (null, errors);
        }
        if (features.Count > maxRows)
        {
            errors["features"] = [$"At most {maxRows} rows can be predicted in one request; got {features.Count}."];
            return (null, errors);
        }
        for (int i = 0; i < features.Count && errors.Count < MaxRowErrors; i++)
        {
            if (RowProblem(features[i], i, width) is { } problem)
            {
                errors[$"features[{i}]"] = [problem];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        // Allocated only once every row has the job's width: the values are then ones the body really held.
        float[] rows = new float[features.Count * width];
        for (int i = 0; i < features.Count; i++)
        {
            IReadOnlyList<float> row = features[i]!;
            for (int k = 0; k < width; k++)
            {
                rows[(i * width) + k] = row[k];
            }
        }
        return (rows, errors);
    }

    /// <summary>Names each row whose prediction is not a finite float32 (its values too large for the weights).</summary>
    public static Dictionary<string, string[]> NonFinite(ReadOnlySpan<float> predictions)
    {
        var errors = new Dictionary<string, string[]>();
        for (int i = 0; i < predictions.Length && errors.Count < MaxRowErrors; i++)
        {
            if (!float.IsFinite(predictions[i]))
            {
                errors[$"features[{i}]"] = [$"The prediction for row {i} is {Text(predictions[i])}, beyond float32's range: its values are too large for the job's weights."];
            }
        }
        return errors;
    }

    private static string? RowProblem(IReadOnlyList<float>? row, int index, int width)
    {
        if (row is null)
        {
            return $"row {index} is null; give {Values(width)}.";
        }
        if (row.Count != width)
        {
            return $"row {index} has {Values(row.Count)}; the job has {width} {(width == 1 ? "feature" : "features")}.";
        }
        for (int k = 0; k < width; k++)
        {
            if (!float.IsFinite(row[k]))
            {
                return $"row {index}, value {k} is {Text(row[k])} (beyond float32's range); every value must be a finite number.";
            }
        }
        return null;
    }

    private static string Values(int count) => count == 1 ? "1 value" : $"{count} values";

    private static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
