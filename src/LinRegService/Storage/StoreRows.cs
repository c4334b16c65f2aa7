using System.Data.Common;
using LinRegService.Contracts;

namespace LinRegService.Storage;

/// <summary>
/// The ADO.NET plumbing of <see cref="SqlJobStore"/>: commands with parameters, statements, and
/// jobs read back from the column list (<see cref="Columns"/>, in that order) with their losses.
/// </summary>
internal static class StoreRows
{
    /// <summary>The job columns every store selects, in the order <see cref="ReadJob"/> reads them.</summary>
    public const string Columns =
        "seq, id, status, created_at, started_at, finished_at, request, warm_start, result, samples, error, attempts, idempotency_key, request_hash, peak_bytes, owner, sweep_id, owner_role, trace_parent";

    /// <summary>
    /// <see cref="Columns"/> with the samples read as null: lists and event streams never send them,
    /// and a wide job's samples are most of its row.
    /// </summary>
    public static readonly string ColumnsWithoutSamples = Columns.Replace("samples", "NULL AS samples", StringComparison.Ordinal);

    /// <summary>The number of <see cref="Columns"/>: a claim's <c>claimed_from</c> follows them.</summary>
    public const int ColumnCount = 19;

    /// <summary>A command for <paramref name="sql"/>; on a <see cref="KeptConnection"/>, the one it keeps prepared (disposing it keeps it).</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection is KeptConnection kept ? kept.Command(sql) : connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on a write connection; commits when it returns.</summary>
    public static Task<T> TransactAsync<T>(this SqlDialect dialect, Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        dialect.WriteAsync(async connection =>
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            T result = await work(connection);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);

    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first row's columns as whole numbers (counts and sums, which the engines type differently).</summary>
    public static async Task<long[]> CountsAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, sql, parameters);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Writes epoch losses numbered from <paramref name="firstEpoch"/> (1-based), as one multi-row
    /// statement per slice of 500: a round trip per batch of epochs, not per epoch.
    /// </summary>
    public static async Task<int> InsertLossesAsync(DbConnection connection, string id, int firstEpoch, IReadOnlyList<double> losses, CancellationToken cancellationToken)
    {
        int epoch = firstEpoch;
        foreach (double[] slice in losses.Chunk(500))
        {
            int first = epoch;
            epoch += slice.Length;
            (string, object?)[] parameters = [("id", id), .. slice.SelectMany((loss, i) => new (string, object?)[] { ($"e{i}", first + i), ($"l{i}", loss) })];
            string values = string.Join(", ", slice.Select((_, i) => $"(@id, @e{i}, @l{i})"));
            await ExecuteAsync(connection, $"""
                INSERT INTO epoch_losses (job_id, epoch, loss) VALUES {values}
                ON CONFLICT (job_id, epoch) DO UPDATE SET loss = excluded.loss;
                """, cancellationToken, parameters);
        }
        return losses.Count;
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Every row <paramref name="command"/> selects, each made by <paramref name="read"/>.</summary>
    public static async Task<List<T>> RowsAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public static async Task<List<T>> RowsAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, sql, parameters);
        return await RowsAsync(command, read, cancellationToken);
    }

    /// <summary>The jobs <paramref name="command"/> selects, and their epoch losses in one more query when asked.</summary>
    public static async Task<List<JobRecord>> ReadJobsAsync(DbConnection connection, DbCommand command, bool withLosses, CancellationToken cancellationToken)
    {
        List<JobRecord> jobs = await RowsAsync(command, ReadJob, cancellationToken);
        if (!withLosses || jobs.Count == 0)
        {
            return jobs;
        }
        var losses = jobs.ToDictionary(j => j.Id, _ => new List<double>());
        string ids = string.Join(", ", jobs.Select((_, i) => $"@j{i}"));
        foreach ((string id, double loss) in await RowsAsync(connection, $"SELECT job_id, loss FROM epoch_losses WHERE job_id IN ({ids}) ORDER BY job_id, epoch;",
            r => (r.GetString(0), r.GetDouble(1)), cancellationToken, [.. jobs.Select((j, i) => ($"j{i}", (object?)j.Id))]))
        {
            losses[id].Add(loss);
        }
        return [.. jobs.Select(j => j with { EpochLosses = losses[j.Id] })];
    }

    public static JobRecord ReadJob(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        Status = JobStatusText.Parse(reader.GetString(2)),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        StartedAt = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        FinishedAt = reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        Request = StoreJson.Deserialize<JobRequest>(reader.GetString(6))!,
        WarmStart = StoreJson.Deserialize<WarmStart>(reader.IsDBNull(7) ? null : reader.GetString(7)),
        Result = StoreJson.Deserialize<JobResult>(reader.IsDBNull(8) ? null : reader.GetString(8)),
        Samples = StoreJson.Deserialize<JobSamples>(reader.IsDBNull(9) ? null : reader.GetString(9)),
        ErrorMessage = reader.IsDBNull(10) ? null : reader.GetString(10),
        Attempts = reader.GetInt32(11),
        IdempotencyKey = reader.IsDBNull(12) ? null : UnscopedKey(reader.GetString(12)),
        RequestHash = reader.IsDBNull(13) ? null : reader.GetString(13),
        PeakBytes = reader.IsDBNull(14) ? 0 : reader.GetInt64(14),
        Owner = reader.IsDBNull(15) ? null : reader.GetString(15),
        SweepId = reader.IsDBNull(16) ? null : reader.GetString(16),
        OwnerRole = reader.IsDBNull(17) ? null : reader.GetString(17),
        TraceParent = reader.IsDBNull(18) ? null : reader.GetString(18),
    };

    /// <summary>
    /// Idempotency keys are unique per owner: the column holds an owned job's key as "&lt;owner&gt; &lt;key&gt;",
    /// and a space never occurs in a key (Jobs/IdempotencyKeys), so no owner's key can equal another's.
    /// </summary>
    public static string? ScopedKey(string? owner, string? key) => key is null || owner is null ? key : owner + " " + key;

    private static string UnscopedKey(string stored) => stored[(stored.IndexOf(' ', StringComparison.Ordinal) + 1)..];
}
