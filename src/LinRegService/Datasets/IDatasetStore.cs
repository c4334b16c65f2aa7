using LinRegService.Training.Data;

namespace LinRegService.Datasets;

/// <summary>
/// Uploaded datasets in the job store's database: chunks of float32 rows written as an upload
/// streams in, then one row that makes the dataset exist, whole, at once. A kill mid-upload
/// leaves only chunks without a dataset, which <see cref="PurgeAbandonedUploadsAsync"/> removes.
/// </summary>
public interface IDatasetStore
{
    /// <summary>Rows per chunk for <paramref name="features"/> features: about 64 Ki values (256 KB), at least one row.</summary>
    static int RowsPerChunk(int features) => Math.Max(1, (64 * 1024) / (features + 1));

    /// <summary>
    /// Stores chunk <paramref name="chunk"/> of upload <paramref name="uploadId"/>: <paramref name="rowCount"/> rows from
    /// <paramref name="firstRow"/>, each its features then its label, as little-endian float32.
    /// </summary>
    Task WriteChunkAsync(string uploadId, int chunk, long firstRow, int rowCount, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the upload a dataset. When its owner has a dataset with the same content hash, that
    /// one answers and this upload's chunks are removed: the same data uploaded twice is one dataset.
    /// </summary>
    Task<DatasetRecord> CommitAsync(DatasetRecord dataset, CancellationToken cancellationToken);

    /// <summary>Removes the chunks of an upload that failed.</summary>
    Task DiscardAsync(string uploadId, CancellationToken cancellationToken);

    Task<DatasetRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; only <paramref name="owner"/>'s when given, every dataset when null.</summary>
    Task<DatasetPage> ListAsync(int limit, long? before, string? owner, CancellationToken cancellationToken);

    /// <summary>Rows [offset, offset + count) of the dataset (fewer at its end).</summary>
    Task<Dataset> ReadRowsAsync(DatasetRecord dataset, long offset, int count, CancellationToken cancellationToken);

    /// <summary>Every row of the dataset, for training.</summary>
    Task<Dataset> LoadAsync(DatasetRecord dataset, CancellationToken cancellationToken);

    /// <summary>Removes the dataset and its rows, unless a queued, running or canceling job trains on it.</summary>
    Task<DatasetDeleteOutcome> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes chunks written before <paramref name="before"/> that no dataset owns (uploads that died); returns how many.</summary>
    Task<int> PurgeAbandonedUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
