using System.Data.Common;
using LinRegService.Contracts;

namespace LinRegService.Storage;

/// <summary>
/// The ADO.NET plumbing both stores share: commands with parameters, statements, and a job row
/// read back from the common column list (<see cref="Columns"/>, in that order).
/// </summary>
internal static class StoreRows
{
    /// <summary>The job columns every store selects, in the order <see cref="ReadJob"/> reads them.</summary>
    public const string Columns =
        "seq, id, status, created_at, started_at, finished_at, request, warm_start, result, samples, error, attempts, idempotency_key, request_hash";

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
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

    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static JobRecord ReadJob(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        Status = StatusText.Parse(reader.GetString(2)),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        StartedAt = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        FinishedAt = reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        Request = StoreJson.Deserialize<JobRequest>(reader.GetString(6))!,
        WarmStart = StoreJson.Deserialize<WarmStart>(reader.IsDBNull(7) ? null : reader.GetString(7)),
        Result = StoreJson.Deserialize<JobResult>(reader.IsDBNull(8) ? null : reader.GetString(8)),
        Samples = StoreJson.Deserialize<JobSamples>(reader.IsDBNull(9) ? null : reader.GetString(9)),
        ErrorMessage = reader.IsDBNull(10) ? null : reader.GetString(10),
        Attempts = reader.GetInt32(11),
        IdempotencyKey = reader.IsDBNull(12) ? null : reader.GetString(12),
        RequestHash = reader.IsDBNull(13) ? null : reader.GetString(13),
    };
}
