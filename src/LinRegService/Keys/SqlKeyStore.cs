using System.Data.Common;
using LinRegService.Contracts;

using LinRegService.Storage;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Keys;

/// <summary>
/// The API keys, written once for every SQL engine in the job store's database and over its
/// <see cref="SqlDialect"/> (the same SQLite writer turn, the same PostgreSQL pool). Created by
/// migration 0002; times are unix milliseconds as in <see cref="SqlJobStore"/>.
/// </summary>
public sealed class SqlKeyStore(SqlDialect dialect) : IKeyStore
{
    private const string KeyColumns =
        "id, name, role, secret_hash, origin, created_at, last_used_at, revoked_at, max_active_jobs, max_job_values, max_job_work, max_stored_bytes, max_dataset_bytes";

    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        dialect.WriteAsync(connection => InsertAsync(connection, key, onConflict: "", cancellationToken), cancellationToken);

    public async Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {KeyColumns} FROM api_keys WHERE id = @id;", cancellationToken, ("id", id))).SingleOrDefault();

    public async Task<ApiKeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {KeyColumns} FROM api_keys WHERE secret_hash = @hash;", cancellationToken, ("hash", secretHash))).SingleOrDefault();

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        await ReadAsync($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at DESC, id DESC;", cancellationToken);

    public Task<RevokeOutcome> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) => dialect.TransactAsync(async connection =>
    {
        object? origin = await ScalarAsync(connection, $"SELECT origin FROM api_keys WHERE id = @id{dialect.Traits.ForUpdate};", cancellationToken, ("id", id));
        switch (origin)
        {
            case null:
                return RevokeOutcome.NotFound;
            case "config":
                return RevokeOutcome.Configured;
        }
        await ExecuteAsync(connection, "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL;", cancellationToken,
            ("id", id), ("now", now.ToUnixTimeMilliseconds()));
        return RevokeOutcome.Revoked;
    }, cancellationToken);

    /// <summary>One statement that decides and writes: replicas recording the same key's use write it once.</summary>
    public Task TouchAsync(string id, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken) =>
        dialect.WriteAsync(connection => ExecuteAsync(connection, """
            UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @due);
            """, cancellationToken, ("id", id), ("now", now.ToUnixTimeMilliseconds()), ("due", (now - interval).ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task SyncConfiguredAdminAsync(ApiKeyRecord? configured, DateTimeOffset now, CancellationToken cancellationToken) =>
        dialect.TransactAsync(async connection =>
        {
            await ExecuteAsync(connection, """
                UPDATE api_keys SET revoked_at = @now WHERE origin = 'config' AND revoked_at IS NULL AND (CAST(@id AS text) IS NULL OR id <> CAST(@id AS text));
                """, cancellationToken, ("id", configured?.Id), ("now", now.ToUnixTimeMilliseconds()));
            if (configured is not null)
            {
                // The setting decides: a secret configured again after a rotation works again.
                await InsertAsync(connection, configured, onConflict: "ON CONFLICT (id) DO UPDATE SET revoked_at = NULL", cancellationToken);
            }
            return 0;
        }, cancellationToken);

    public Task<bool> AddIfNoAdminAsync(ApiKeyRecord candidate, CancellationToken cancellationToken) => dialect.TransactAsync(async connection =>
    {
        // The migrations' lock: replicas starting together take turns, and only the first finds no admin.
        await dialect.LockForMigrationAsync(connection, cancellationToken);
        object? admins = await ScalarAsync(connection, "SELECT count(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL;", cancellationToken);
        if (Convert.ToInt64(admins, System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }
        await InsertAsync(connection, candidate, onConflict: "", cancellationToken);
        return true;
    }, cancellationToken);

    private static Task<int> InsertAsync(DbConnection connection, ApiKeyRecord key, string onConflict, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"""
            INSERT INTO api_keys ({KeyColumns})
            VALUES (@id, @name, @role, @hash, @origin, @created, @used, @revoked, @active, @values, @work, @bytes, @datasetBytes)
            {onConflict};
            """, cancellationToken,
            ("id", key.Id), ("name", key.Name), ("role", RoleText(key.Role)), ("hash", key.SecretHash), ("origin", OriginText(key.Origin)),
            ("created", key.CreatedAt.ToUnixTimeMilliseconds()), ("used", key.LastUsedAt?.ToUnixTimeMilliseconds()),
            ("revoked", key.RevokedAt?.ToUnixTimeMilliseconds()), ("active", key.Quotas.MaxActiveJobs), ("values", key.Quotas.MaxJobValues),
            ("work", key.Quotas.MaxJobWork), ("bytes", key.Quotas.MaxStoredBytes), ("datasetBytes", key.Quotas.MaxDatasetBytes));

    private async Task<List<ApiKeyRecord>> ReadAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbConnection connection = await dialect.OpenAsync(cancellationToken);
        return await RowsAsync(connection, sql, reader => new ApiKeyRecord
        {
            Id = reader.GetString(0),
            Name = reader.GetString(1),
            Role = reader.GetString(2) == "admin" ? ApiKeyRole.Admin : ApiKeyRole.User,
            SecretHash = reader.GetString(3),
            Origin = reader.GetString(4) switch { "bootstrap" => ApiKeyOrigin.Bootstrap, "config" => ApiKeyOrigin.Config, _ => ApiKeyOrigin.Api },
            CreatedAt = Time(reader, 5)!.Value,
            LastUsedAt = Time(reader, 6),
            RevokedAt = Time(reader, 7),
            Quotas = new ApiKeyQuotaOverrides
            {
                MaxActiveJobs = reader.IsDBNull(8) ? null : Convert.ToInt32(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
                MaxJobValues = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                MaxJobWork = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                MaxStoredBytes = reader.IsDBNull(11) ? null : reader.GetInt64(11),
                MaxDatasetBytes = reader.IsDBNull(12) ? null : reader.GetInt64(12),
            },
        }, cancellationToken, parameters);
    }

    private static DateTimeOffset? Time(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    internal static string RoleText(ApiKeyRole role) => role == ApiKeyRole.Admin ? "admin" : "user";

    internal static string OriginText(ApiKeyOrigin origin) => origin switch
    {
        ApiKeyOrigin.Bootstrap => "bootstrap",
        ApiKeyOrigin.Config => "config",
        _ => "api",
    };
}
