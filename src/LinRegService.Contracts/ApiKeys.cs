namespace LinRegService.Contracts;

/// <summary>What an API key may do; serialized as lower-case strings ("user", "admin").</summary>
public enum ApiKeyRole
{
    /// <summary>Submits jobs and sees, streams, plots, cancels and deletes only its own.</summary>
    User,

    /// <summary>Sees every job and manages the keys.</summary>
    Admin,
}

/// <summary>The body of <c>POST /api/keys</c>.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>Who or what uses the key, for people reading the key list (1 to 100 characters).</summary>
    public string? Name { get; init; }

    /// <summary><c>user</c> or <c>admin</c>.</summary>
    public ApiKeyRole? Role { get; init; }

    /// <summary>Limits of this key that differ from the service's defaults (the <c>Quotas</c> settings); any may be left out.</summary>
    public ApiKeyQuotaOverrides? Quotas { get; init; }
}

/// <summary>A key's own limits; a field left out (null) means the service's default from the <c>Quotas</c> settings.</summary>
public sealed record ApiKeyQuotaOverrides
{
    /// <summary>Jobs queued or running at once.</summary>
    public int? MaxActiveJobs { get; init; }

    /// <summary>Examples × features of one job.</summary>
    public long? MaxJobValues { get; init; }

    /// <summary>Examples × features × epochs of one job (its compute).</summary>
    public long? MaxJobWork { get; init; }

    /// <summary>Bytes the key's stored jobs may take.</summary>
    public long? MaxStoredBytes { get; init; }

    /// <summary>Stored float32 bytes of one dataset the key uploads (rows × columns × 4).</summary>
    public long? MaxDatasetBytes { get; init; }
}

/// <summary>The limits that apply to a key: its own overrides, else the service's defaults.</summary>
/// <param name="MaxActiveJobs">Jobs queued or running at once.</param>
/// <param name="MaxJobValues">Examples × features of one job.</param>
/// <param name="MaxJobWork">Examples × features × epochs of one job (its compute).</param>
/// <param name="MaxStoredBytes">Bytes the key's stored jobs may take.</param>
/// <param name="MaxDatasetBytes">Stored float32 bytes of one dataset the key uploads (rows × columns × 4).</param>
public sealed record ApiKeyQuotas(int MaxActiveJobs, long MaxJobValues, long MaxJobWork, long MaxStoredBytes, long MaxDatasetBytes = 1L << 30);

/// <summary>The answer of <c>POST /api/keys</c>: the new key with its secret, which is shown this once and never again.</summary>
public sealed record CreatedApiKey
{
    /// <summary>The key's id: what logs, job owners and <c>?owner=</c> name it by. Not a secret.</summary>
    public required string Id { get; init; }

    /// <summary>The name it was given.</summary>
    public required string Name { get; init; }

    /// <summary>What it may do.</summary>
    public required ApiKeyRole Role { get; init; }

    /// <summary>The secret to send as <c>Authorization: Bearer &lt;key&gt;</c>. The service keeps only its hash: store it now.</summary>
    public required string Key { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The limits that apply to it.</summary>
    public required ApiKeyQuotas Quotas { get; init; }
}

/// <summary>A key as <c>GET /api/keys</c> and <c>GET /api/keys/{id}</c> show it: never its secret.</summary>
public sealed record ApiKey
{
    /// <summary>The key's id.</summary>
    public required string Id { get; init; }

    /// <summary>The name it was given.</summary>
    public required string Name { get; init; }

    /// <summary>What it may do.</summary>
    public required ApiKeyRole Role { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last used, to the minute (the service records it at most once a minute); null if never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When it was revoked; null while it works.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Where it comes from: <c>api</c> (<c>POST /api/keys</c>), <c>bootstrap</c> (made at first start) or <c>config</c> (<c>Auth:AdminKey</c>).</summary>
    public required string Origin { get; init; }

    /// <summary>The limits that apply to it.</summary>
    public required ApiKeyQuotas Quotas { get; init; }
}

/// <summary>The answer of <c>GET /api/keys</c>: every key, newest first, revoked ones included.</summary>
/// <param name="Items">The keys.</param>
public sealed record ApiKeyList(IReadOnlyList<ApiKey> Items);

/// <summary>The answer of <c>GET /api/keys/me</c>: who the caller is, its limits and what it uses now.</summary>
public sealed record CallerInfo
{
    /// <summary>The caller's key; null when the service runs with <c>Auth:Mode</c> <c>None</c> and the call came without one.</summary>
    public ApiKey? Key { get; init; }

    /// <summary>What the caller may do.</summary>
    public required ApiKeyRole Role { get; init; }

    /// <summary>The limits that apply to the caller.</summary>
    public required ApiKeyQuotas Quotas { get; init; }

    /// <summary>What the caller's jobs use now.</summary>
    public required ApiKeyUsage Usage { get; init; }
}

/// <summary>What a key's jobs use now.</summary>
/// <param name="ActiveJobs">Jobs queued, running or canceling.</param>
/// <param name="StoredJobs">Jobs stored, finished or not.</param>
/// <param name="StoredBytes">An estimate of the bytes its stored jobs take: the length of their stored JSON.</param>
public sealed record ApiKeyUsage(int ActiveJobs, int StoredJobs, long StoredBytes);
