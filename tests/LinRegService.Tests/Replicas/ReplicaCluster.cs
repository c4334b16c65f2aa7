using LinRegService.Tests.Support;
using Npgsql;

namespace LinRegService.Tests.Replicas;

/// <summary>
/// Three real service processes sharing one fresh PostgreSQL database (<c>LINREG_TEST_POSTGRES</c>;
/// does nothing without it). Short leases and polls so a killed replica's jobs come back quickly.
/// Every process is killed and the database dropped on dispose.
/// </summary>
public sealed class ReplicaCluster : IAsyncLifetime
{
    public const int Count = 3;

    public const int WorkersPerReplica = 2;

    private static readonly TimeSpan _startLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresDatabase _database = new();
    private readonly List<ServiceReplica> _replicas = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "linreg-replicas-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<ServiceReplica> Replicas => _replicas;

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The replicas still running (a test may kill one).</summary>
    public IReadOnlyList<ServiceReplica> Alive => [.. _replicas.Where(r => !r.HasExited)];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        if (PostgresDatabase.ServerConnectionString is null)
        {
            return;
        }
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Jobs"] = _database.ConnectionString,
            ["Jobs__Workers"] = WorkersPerReplica.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs__LeaseSeconds"] = "3",
            ["Jobs__PollInterval"] = "00:00:00.500",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // "Job started" lines tell which replica ran a job (the sweep test reads them).
            ["Serilog__MinimumLevel__Override__LinRegService.Queue.JobExecutor"] = "Information",
            ["Swagger__Enabled"] = "false",
            // The lease and reclaim counters are read from the survivors after a kill.
            ["Telemetry__PrometheusEndpoint"] = "true",
        };
        try
        {
            // Started together on purpose: schema creation must hold up to replicas racing for it.
            for (int i = 1; i <= Count; i++)
            {
                _replicas.Add(ServiceReplica.Start($"replica{i}", Path.Combine(_directory, $"replica{i}"), settings));
            }
            await Task.WhenAll(_replicas.Select(r => r.WaitUntilReadyAsync(_startLimit)));
        }
        catch
        {
            // A fixture that fails to start may not be disposed: leave no process behind.
            foreach (ServiceReplica replica in _replicas)
            {
                replica.Kill();
            }
            throw;
        }
    }

    /// <summary>The tails of every replica's log, for a failure message.</summary>
    public string Logs() => string.Join("\n", _replicas.Select(r => r.Tail()));

    /// <summary>Job rows as the database holds them: id → (status, attempts, error).</summary>
    public async Task<Dictionary<string, (string Status, int Attempts, string? Error)>> ReadJobsAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using NpgsqlCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, status, attempts, error FROM jobs;";
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (string, int, string?)>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
        return rows;
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceReplica replica in _replicas)
        {
            replica.Dispose();
        }
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in temp; harmless.
        }
    }
}
