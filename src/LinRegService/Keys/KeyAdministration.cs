using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Keys;

/// <summary>Making and revoking keys, each an audit event in the log (ids and names only, never a secret).</summary>
internal sealed class KeyAdministration(
    IKeyStore store, AuthenticatedKeys keys, ICaller caller, IOptions<QuotasOptions> quotas, TimeProvider clock, ILogger<KeyAdministration> logger)
{
    public const int MaxNameLength = 100;

    /// <summary>The new key with its secret, or the bad fields.</summary>
    public async Task<(CreatedApiKey? Key, Dictionary<string, string[]> Errors)> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        Dictionary<string, string[]> errors = Check(request);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        string secret = ApiKeySecrets.NewSecret();
        var key = new ApiKeyRecord
        {
            Id = ApiKeySecrets.NewId(),
            Name = request.Name!.Trim(),
            Role = request.Role!.Value,
            SecretHash = ApiKeySecrets.HashText(secret),
            Origin = ApiKeyOrigin.Api,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()), // the store keeps milliseconds
            Quotas = request.Quotas ?? new ApiKeyQuotaOverrides(),
        };
        await store.AddAsync(key, cancellationToken);
        string role = SqlKeyStore.RoleText(key.Role);
        logger.KeyCreated(key.Id, key.Name, role, caller.KeyId ?? "local");
        return (key.ToCreated(secret, quotas.Value), errors);
    }

    public async Task<RevokeOutcome> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        ApiKeyRecord? key = await store.GetAsync(id, cancellationToken);
        if (key is null)
        {
            return RevokeOutcome.NotFound;
        }
        RevokeOutcome outcome = await store.RevokeAsync(id, clock.GetUtcNow(), cancellationToken);
        if (outcome == RevokeOutcome.Revoked)
        {
            keys.Forget(key);
            logger.KeyRevoked(id, key.Name, caller.KeyId ?? "local");
        }
        return outcome;
    }

    private static Dictionary<string, string[]> Check(CreateApiKeyRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength || request.Name.Any(char.IsControl))
        {
            errors["name"] = [$"name must be 1 to {MaxNameLength} characters without control characters; got {(request.Name is null ? "none" : $"{request.Name.Length} characters")}."];
        }
        if (request.Role is not { } role || !Enum.IsDefined(role))
        {
            errors["role"] = ["role must be user or admin."];
        }
        ApiKeyQuotaOverrides quotas = request.Quotas ?? new ApiKeyQuotaOverrides();
        foreach ((string field, long? value) in new (string, long?)[]
        {
            ("maxActiveJobs", quotas.MaxActiveJobs), ("maxJobValues", quotas.MaxJobValues),
            ("maxJobWork", quotas.MaxJobWork), ("maxStoredBytes", quotas.MaxStoredBytes), ("maxDatasetBytes", quotas.MaxDatasetBytes),
        })
        {
            if (value < 0)
            {
                errors[$"quotas.{field}"] = [$"{field} must be 0 or more (leave it out for the service's default); got {value}."];
            }
        }
        return errors;
    }
}
