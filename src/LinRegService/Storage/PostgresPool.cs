using System.Data.Common;
using Npgsql;

namespace LinRegService.Storage;

/// <summary>
/// Sizes a replica's connection pool to what it uses, unless the connection string says otherwise:
/// Npgsql's default of 100 per process would let two busy replicas exhaust PostgreSQL's default
/// of 100 connections (docs/operations.md has the arithmetic).
/// </summary>
internal static class PostgresPool
{
    /// <summary>Connections beyond one per worker: the LISTEN connection, HTTP requests, the readiness check.</summary>
    public const int Spare = 8;

    private static readonly string[] _poolSizeKeys = ["Maximum Pool Size", "MaxPoolSize"];

    public static string Sized(string connectionString, int workers)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (_poolSizeKeys.Any(given.ContainsKey))
        {
            return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = workers + Spare }.ConnectionString;
    }
}
