using LinRegService.Contracts;

namespace LinRegService.Keys;

/// <summary>An API key as the store keeps it: never its secret, only the secret's SHA-256.</summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ApiKeyRole Role { get; init; }

    /// <summary>Lower-case hex of the SHA-256 of the secret's UTF-8 bytes.</summary>
    public required string SecretHash { get; init; }

    public required ApiKeyOrigin Origin { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>This key's own limits; a null field means the service's default.</summary>
    public ApiKeyQuotaOverrides Quotas { get; init; } = new();

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>Where a key comes from.</summary>
public enum ApiKeyOrigin
{
    /// <summary>Made by an admin through <c>POST /api/keys</c>.</summary>
    Api,

    /// <summary>Made at a first start that found no admin key (and printed once).</summary>
    Bootstrap,

    /// <summary>The secret in <c>Auth:AdminKey</c>: kept in step with the setting at every start.</summary>
    Config,
}

/// <summary>What revoking a key found.</summary>
public enum RevokeOutcome
{
    NotFound,

    /// <summary>The key is <c>Auth:AdminKey</c>'s: the setting decides, not the API.</summary>
    Configured,

    /// <summary>Revoked now, or already.</summary>
    Revoked,
}
