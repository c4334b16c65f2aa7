using System.Data.Common;
using System.Reflection;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// Brings a database to the schema this build knows: numbered scripts per engine
/// (<c>Storage/Migrations/&lt;engine&gt;/NNNN_name.sql</c>, embedded), each applied once, in order, in
/// one transaction under the dialect's migration lock, and recorded in <c>schema_versions</c>.
/// Replicas starting together take turns and find the work done. A database newer than the build
/// is refused: an older service must not write rows a newer schema gave other meanings.
/// </summary>
internal sealed class Migrator(SqlDialect dialect)
{
    /// <summary>Applies what is missing; returns how many scripts this call applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(int Version, string Name, string Sql)> scripts = Scripts(dialect.MigrationsFolder);
        int latest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        await dialect.PrepareAsync(cancellationToken);
        await using SqlDialect.Writer writer = await dialect.OpenWriterAsync(cancellationToken);
        DbConnection connection = writer.Connection;
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await dialect.LockForMigrationAsync(connection, cancellationToken);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_versions (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL);",
            cancellationToken);
        await using DbCommand read = Command(connection, "SELECT coalesce(max(version), 0) FROM schema_versions;");
        int current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The job database has schema version {current}, newer than this build of LinRegService knows (version {latest}). "
                + "Run a newer build, or point ConnectionStrings:Jobs at another database.");
        }
        int applied = 0;
        foreach ((int version, string name, string sql) in scripts.Where(s => s.Version > current))
        {
            await ExecuteAsync(connection, sql, cancellationToken);
            await ExecuteAsync(connection, "INSERT INTO schema_versions (version, name, applied_at) VALUES (@v, @n, @at);", cancellationToken,
                ("v", version), ("n", name), ("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            applied++;
        }
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>The engine's scripts in version order, read from the assembly's resources (<c>migrations/&lt;folder&gt;/NNNN_name.sql</c>).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string folder)
    {
        Assembly assembly = typeof(Migrator).Assembly;
        string prefix = $"migrations/{folder}/";
        var scripts = new List<(int, string, string)>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            string name = Path.GetFileNameWithoutExtension(resource[prefix.Length..]);
            int version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((version, name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }
}
