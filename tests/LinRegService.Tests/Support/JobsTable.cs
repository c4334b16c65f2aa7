using Microsoft.Data.Sqlite;

namespace LinRegService.Tests.Support;

/// <summary>Direct reads and writes of the SQLite <c>jobs</c> table, as another process (or a crash) would leave it.</summary>
public static class JobsTable
{
    public static async Task<(string Status, long Attempts)> ReadAsync(string connectionString, string id)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT status, attempts FROM jobs WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for job {id}");
        return (reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>Leaves the job as a process killed mid-run would: <paramref name="status"/> with <paramref name="attempts"/> starts.</summary>
    public static async Task SetAsync(string connectionString, string id, string status, long attempts)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET status = $status, attempts = $attempts, started_at = 0, finished_at = NULL WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$attempts", attempts);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
