using System.Data.Common;
using System.Reflection;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Storage;

/// <summary>
/// Brings a database to the schema this build knows: numbered scripts (<c>Storage/Migrations/</c>,
/// embedded; see <see cref="Scripts"/>), each applied once, in order, in
/// one transaction under the dialect's migration lock, and recorded in <c>schema_versions</c>.
/// Replicas starting together take turns and find the work done. A database newer than the build
/// is refused: an older service must not write rows a newer schema gave other meanings.
/// </summary>
internal sealed class Migrator(SqlDialect dialect)
{
    /// <summary>Applies what is missing; returns how many scripts this call applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(int Version, string Name, string Sql)> scripts = Scripts(dialect);
        int latest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        await dialect.PrepareAsync(cancellationToken);
        return await dialect.TransactAsync(async connection =>
        {
            await dialect.LockForMigrationAsync(connection, cancellationToken);
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS schema_versions (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL);",
                cancellationToken);
            int current = Convert.ToInt32(await ScalarAsync(connection, "SELECT coalesce(max(version), 0) FROM schema_versions;", cancellationToken),
                System.Globalization.CultureInfo.InvariantCulture);
            if (current > latest)
            {
                throw new InvalidOperationException(
                    $"The job database has schema version {current}, newer than this build of LinRegService knows (version {latest}). "
                    + "Run a newer build, or point ConnectionStrings:Jobs at another database.");
            }
            var missing = scripts.Where(s => s.Version > current).ToList();
            foreach ((int version, string name, string sql) in missing)
            {
                await ExecuteAsync(connection, sql, cancellationToken);
                await ExecuteAsync(connection, "INSERT INTO schema_versions (version, name, applied_at) VALUES (@v, @n, @at);", cancellationToken,
                    ("v", version), ("n", name), ("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }
            return missing.Count;
        }, cancellationToken);
    }

    /// <summary>
    /// The engine's scripts in version order: for each number, the shared script
    /// (<c>migrations/NNNN_name.sql</c>, its <c>{{word}}</c>s replaced by the dialect's) followed by the
    /// engine's own part (<c>migrations/&lt;engine&gt;/NNNN_name.sql</c>), either of which may be missing.
    /// </summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(SqlDialect dialect)
    {
        Assembly assembly = typeof(Migrator).Assembly;
        string engine = $"migrations/{dialect.Traits.MigrationsFolder}/";
        return [.. assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(engine, StringComparison.Ordinal) || (r.StartsWith("migrations/", StringComparison.Ordinal) && r.Count(c => c == '/') == 1))
            .Select(r => (Resource: r, Name: Path.GetFileNameWithoutExtension(r[(r.LastIndexOf('/') + 1)..])))
            .GroupBy(r => r.Name)
            .Select(g => (
                Version: int.Parse(g.Key.AsSpan(0, g.Key.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture),
                g.Key,
                Sql: string.Join("\n", g.OrderBy(r => r.Resource.Count(c => c == '/')).Select(r => Read(assembly, r.Resource, dialect.DdlWords)))))
            .OrderBy(s => s.Version)];
    }

    private static string Read(Assembly assembly, string resource, IReadOnlyDictionary<string, string> words)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        string sql = reader.ReadToEnd();
        foreach ((string word, string text) in words)
        {
            sql = sql.Replace("{{" + word + "}}", text, StringComparison.Ordinal);
        }
        return sql;
    }
}
