namespace LinRegService.Contracts;

/// <summary>
/// An uploaded dataset: the answer of <c>GET /api/datasets/{id}</c>, and of <c>POST /api/datasets</c>
/// (201 for a new one, 200 when the same key uploaded the same data before).
/// </summary>
/// <param name="Id">The dataset's id: train on it with <c>dataset.id</c>.</param>
/// <param name="Name">The name given at upload with <c>?name=</c>; null without one.</param>
/// <param name="Rows">Number of rows (examples).</param>
/// <param name="FeatureNames">The feature columns' names, in the file's order: every column but the label.</param>
/// <param name="LabelName">The label column's name.</param>
/// <param name="Bytes">The stored size: rows × (features + 1) × 4 bytes of float32.</param>
/// <param name="ContentHash">SHA-256 (hex) of the column names and the stored float32 rows: the same data has the same hash.</param>
/// <param name="CreatedAt">When the upload finished.</param>
/// <param name="FirstRows">The first rows (at most 10); null in list items.</param>
public sealed record StoredDataset(
    string Id,
    string? Name,
    long Rows,
    IReadOnlyList<string> FeatureNames,
    string LabelName,
    long Bytes,
    string ContentHash,
    DateTimeOffset CreatedAt,
    JobSamples? FirstRows);

/// <summary>A page of datasets, newest first.</summary>
/// <param name="Items">The datasets on this page (without <c>firstRows</c>).</param>
/// <param name="Next">The cursor of the following page: pass it back as <c>cursor</c>; null on the last page.</param>
public sealed record DatasetList(IReadOnlyList<StoredDataset> Items, string? Next);
