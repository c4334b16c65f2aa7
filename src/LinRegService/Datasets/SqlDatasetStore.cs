using System.Data.Common;
using System.Runtime.InteropServices;
using LinRegService.Storage;
using LinRegService.Training.Data;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Datasets;

/// <summary>
/// The datasets over the job store's dialect (migration 0006): SQLite's writer turn or
/// PostgreSQL's pool, written once for both. A dataset is deleted under the queue lock, the lock a
/// job's insert holds, so a job cannot be queued on a dataset while it is being deleted.
/// </summary>
public sealed class SqlDatasetStore(SqlDialect dialect, TimeProvider clock) : IDatasetStore
{
    private const string DatasetColumns = "seq, id, owner, name, rows, feature_names, label_name, bytes, content_hash, created_at";

    public Task WriteChunkAsync(string uploadId, int chunk, long firstRow, int rowCount, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        dialect.WriteAsync(connection => ExecuteAsync(connection, """
            INSERT INTO dataset_chunks (upload_id, chunk, first_row, row_count, data, created_at)
            VALUES (@id, @chunk, @first, @count, @data, @now);
            """, cancellationToken, ("id", uploadId), ("chunk", chunk), ("first", firstRow), ("count", rowCount),
            ("data", data.ToArray()), ("now", clock.GetUtcNow().ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<DatasetRecord> CommitAsync(DatasetRecord dataset, CancellationToken cancellationToken)
    {
        string dedupeKey = dataset.Owner is null ? dataset.ContentHash : dataset.Owner + " " + dataset.ContentHash;
        DatasetRecord? earlier = await dialect.TransactAsync(async connection =>
        {
            if (await ScalarAsync(connection, $"""
                INSERT INTO datasets (id, owner, name, rows, features, feature_names, label_name, bytes, content_hash, dedupe_key, created_at)
                VALUES (@id, @owner, @name, @rows, @features, @names, @label, @bytes, @hash, @key, @created)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING seq;
                """, cancellationToken, ("id", dataset.Id), ("owner", dataset.Owner), ("name", dataset.Name), ("rows", dataset.Rows),
                ("features", dataset.Features), ("names", StoreJson.Serialize(dataset.FeatureNames)), ("label", dataset.LabelName),
                ("bytes", dataset.Bytes), ("hash", dataset.ContentHash), ("key", dedupeKey),
                ("created", dataset.CreatedAt.ToUnixTimeMilliseconds())) is long)
            {
                return null;
            }
            // The same rows again: the first upload answers, this one's chunks go.
            await ExecuteAsync(connection, "DELETE FROM dataset_chunks WHERE upload_id = @id;", cancellationToken, ("id", dataset.Id));
            await using DbCommand select = Command(connection, $"SELECT {DatasetColumns} FROM datasets WHERE dedupe_key = @key;", ("key", dedupeKey));
            return (await ReadDatasetsAsync(select, cancellationToken)).Single();
        }, cancellationToken);
        return earlier ?? (await GetAsync(dataset.Id, cancellationToken))!;
    }

    public Task DiscardAsync(string uploadId, CancellationToken cancellationToken) =>
        dialect.WriteAsync(connection => ExecuteAsync(connection, "DELETE FROM dataset_chunks WHERE upload_id = @id;", cancellationToken, ("id", uploadId)),
            cancellationToken);

    public async Task<DatasetRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"SELECT {DatasetColumns} FROM datasets WHERE id = @id;", ("id", id));
        return (await ReadDatasetsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<DatasetPage> ListAsync(int limit, long? before, string? owner, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {DatasetColumns} FROM datasets
            WHERE (CAST(@before AS bigint) IS NULL OR seq < CAST(@before AS bigint))
              AND (CAST(@owner AS text) IS NULL OR owner = CAST(@owner AS text))
            ORDER BY seq DESC LIMIT @take;
            """, ("before", before), ("owner", owner), ("take", limit + 1));
        List<DatasetRecord> items = await ReadDatasetsAsync(command, cancellationToken);
        return items.Count > limit ? new DatasetPage(items[..limit], items[limit - 1].Sequence) : new DatasetPage(items, null);
    }

    public async Task<Dataset> ReadRowsAsync(DatasetRecord dataset, long offset, int count, CancellationToken cancellationToken)
    {
        long first = Math.Clamp(offset, 0, dataset.Rows);
        int rows = (int)Math.Clamp(Math.Min(count, dataset.Rows - first), 0, int.MaxValue);
        int features = dataset.Features;
        float[] x = new float[(long)rows * features];
        float[] y = new float[rows];
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, """
            SELECT first_row, row_count, data FROM dataset_chunks
            WHERE upload_id = @id AND first_row < @end AND first_row + row_count > @first
            ORDER BY chunk;
            """, ("id", dataset.Id), ("first", first), ("end", first + rows));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            long chunkFirst = reader.GetInt64(0);
            ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(reader.GetFieldValue<byte[]>(2));
            long from = Math.Max(first, chunkFirst);
            long to = Math.Min(first + rows, chunkFirst + reader.GetInt32(1));
            for (long row = from; row < to; row++)
            {
                ReadOnlySpan<float> stored = values.Slice((int)(row - chunkFirst) * (features + 1), features + 1);
                stored[..features].CopyTo(x.AsSpan((int)(row - first) * features, features));
                y[row - first] = stored[features];
            }
        }
        return new Dataset(x, y, features);
    }

    public Task<Dataset> LoadAsync(DatasetRecord dataset, CancellationToken cancellationToken) =>
        ReadRowsAsync(dataset, 0, (int)Math.Min(dataset.Rows, int.MaxValue), cancellationToken);

    public Task<DatasetDeleteOutcome> DeleteAsync(string id, CancellationToken cancellationToken) => dialect.TransactAsync(async connection =>
    {
        await dialect.LockQueueAsync(connection, cancellationToken);
        if (await ScalarAsync(connection, $"SELECT id FROM datasets WHERE id = @id{dialect.Traits.ForUpdate};", cancellationToken, ("id", id)) is null)
        {
            return DatasetDeleteOutcome.NotFound;
        }
        object? active = await ScalarAsync(connection, "SELECT count(*) FROM jobs WHERE dataset_id = @id AND status IN ('queued', 'running', 'canceling');",
            cancellationToken, ("id", id));
        if (Convert.ToInt64(active, System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            return DatasetDeleteOutcome.InUse;
        }
        await ExecuteAsync(connection, "DELETE FROM datasets WHERE id = @id;", cancellationToken, ("id", id));
        await ExecuteAsync(connection, "DELETE FROM dataset_chunks WHERE upload_id = @id;", cancellationToken, ("id", id));
        return DatasetDeleteOutcome.Deleted;
    }, cancellationToken);

    public Task<int> PurgeAbandonedUploadsAsync(DateTimeOffset before, CancellationToken cancellationToken) => dialect.WriteAsync(connection =>
        ExecuteAsync(connection, """
            DELETE FROM dataset_chunks
            WHERE created_at < @before AND NOT EXISTS (SELECT 1 FROM datasets d WHERE d.id = dataset_chunks.upload_id);
            """, cancellationToken, ("before", before.ToUnixTimeMilliseconds())), cancellationToken);

    private static Task<List<DatasetRecord>> ReadDatasetsAsync(DbCommand command, CancellationToken cancellationToken) =>
        RowsAsync(command, reader => new DatasetRecord(
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetInt64(4),
            StoreJson.Deserialize<string[]>(reader.GetString(5))!,
            reader.GetString(6),
            reader.GetInt64(7),
            reader.GetString(8),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)))
        { Sequence = reader.GetInt64(0) }, cancellationToken);
}
