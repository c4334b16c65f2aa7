namespace LinRegService.Jobs;

/// <summary>
/// The size rule of a page of rows (a job's samples, a dataset's rows): at most so many rows, and
/// at most <c>Jobs:MaxSampleValues</c> feature values, the bound of a job's own samples; so a
/// short GET on a wide dataset cannot ask for a page of tens of megabytes.
/// </summary>
internal static class RowsPage
{
    /// <summary>The most rows a page of <paramref name="features"/> features may have (at least one).</summary>
    public static int MaxCount(int maxRows, int features, int maxValues) => Math.Max(1, Math.Min(maxRows, maxValues / Math.Max(1, features)));

    /// <summary>The rows a page has when the caller gives no count: the default, or fewer on a wide row.</summary>
    public static int DefaultCount(int maxRows, int features, int maxValues) => Math.Min(JobEndpoints.DefaultSampleRows, MaxCount(maxRows, features, maxValues));

    /// <summary>Why <paramref name="count"/> rows of <paramref name="features"/> features is not a page; null when it is.</summary>
    public static string? CountError(int count, int maxRows, int features, int maxValues)
    {
        int allowed = MaxCount(maxRows, features, maxValues);
        if (count >= 1 && count <= allowed)
        {
            return null;
        }
        return allowed == maxRows || count < 1
            ? $"count must be between 1 and {allowed}; got {count}."
            : $"count must be between 1 and {allowed}: a page holds at most {maxValues} values (Jobs:MaxSampleValues) and a row has {features} features; got {count}.";
    }
}
