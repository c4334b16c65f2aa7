using LinRegService.Contracts;
using LinRegService.Storage;

namespace LinRegService.Keys;

/// <summary>From stored keys to the contract: never the secret, always the limits that apply.</summary>
internal static class KeyMapping
{
    public static ApiKey ToContract(this ApiKeyRecord key, QuotasOptions defaults) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Role = key.Role,
        CreatedAt = key.CreatedAt,
        LastUsedAt = key.LastUsedAt,
        RevokedAt = key.RevokedAt,
        Origin = SqlKeyStore.OriginText(key.Origin),
        Quotas = defaults.For(key.Quotas),
    };

    public static CreatedApiKey ToCreated(this ApiKeyRecord key, string secret, QuotasOptions defaults) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Role = key.Role,
        Key = secret,
        CreatedAt = key.CreatedAt,
        Quotas = defaults.For(key.Quotas),
    };
}
