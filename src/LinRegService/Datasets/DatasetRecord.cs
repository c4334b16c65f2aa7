namespace LinRegService.Datasets;

/// <summary>An uploaded dataset as the store keeps it (its rows are in chunks, read by <see cref="IDatasetStore"/>).</summary>
/// <param name="Id">The dataset's id (also the id its chunks were written under).</param>
/// <param name="Owner">The API key that uploaded it; null without keys.</param>
/// <param name="Name">The name given at upload (<c>?name=</c>), if any.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="FeatureNames">The feature columns' names, in order.</param>
/// <param name="LabelName">The label column's name.</param>
/// <param name="Bytes">The stored float32 size: rows × (features + 1) × 4.</param>
/// <param name="ContentHash">SHA-256 of the stored rows and the column names, hex: the same data uploaded twice has the same hash.</param>
/// <param name="CreatedAt">When the upload finished.</param>
public sealed record DatasetRecord(
    string Id, string? Owner, string? Name, long Rows, IReadOnlyList<string> FeatureNames, string LabelName, long Bytes, string ContentHash, DateTimeOffset CreatedAt)
{
    /// <summary>Insertion order: newest first in lists.</summary>
    public long Sequence { get; init; }

    public int Features => FeatureNames.Count;
}

/// <summary>A page of datasets and the sequence number to continue below, if any.</summary>
public sealed record DatasetPage(IReadOnlyList<DatasetRecord> Items, long? NextBefore);

/// <summary>How a delete ended.</summary>
public enum DatasetDeleteOutcome
{
    Deleted,
    NotFound,

    /// <summary>A queued, running or canceling job trains on it.</summary>
    InUse,
}
