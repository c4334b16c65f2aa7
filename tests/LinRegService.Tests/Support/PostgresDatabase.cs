using Npgsql;

namespace LinRegService.Tests.Support;

/// <summary>
/// A fresh database on the server named by <c>LINREG_TEST_POSTGRES</c>, created for one test class
/// and dropped (with its connections) on dispose. Does nothing when the variable is not set: the
/// tests that need it are skipped then.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string Variable = "LINREG_TEST_POSTGRES";

    public const string SkipReason = "PostgreSQL is not available: set " + Variable + " to a connection string (see README)";

    private readonly List<string> _databases = [];

    /// <summary>The server to test against, or null when the variable is not set.</summary>
    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (ServerConnectionString is not null)
        {
            ConnectionString = await CreateDatabaseAsync();
        }
    }

    /// <summary>Creates another empty database, dropped with the class's; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "linreg_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(Maintenance(), $"CREATE DATABASE {name};");
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
    }

    /// <summary>Creates an empty schema in the class's database; returns a connection string whose search path is that schema.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        string name = "s_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString(), $"CREATE SCHEMA {name};");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = name }.ToString();
    }

    public async Task DisposeAsync()
    {
        foreach (string name in _databases)
        {
            await ExecuteAsync(Maintenance(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        }
    }

    private static string Maintenance() =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ToString();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
