using System.Collections.Concurrent;
using System.Security.Cryptography;
using LinRegService.Hosting;
using LinRegService.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace LinRegService.Keys;

/// <summary>
/// Checks a secret against the stored keys. A key found (and not revoked) is trusted for
/// <see cref="TrustFor"/> without asking the store again, so a revocation on another replica takes
/// effect here within that time (2 s, well inside the 5 s the contract allows); a revocation here
/// takes effect at once. A use is recorded at most once per <see cref="LastUsedResolution"/> per key.
/// </summary>
internal sealed class AuthenticatedKeys(IKeyStore store, IMemoryCache cache, TimeProvider clock, ILogger<AuthenticatedKeys> logger)
{
    public static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>When this process last recorded each key's use (unix ms).</summary>
    private readonly ConcurrentDictionary<string, long> _recorded = new(StringComparer.Ordinal);

    /// <summary>The key <paramref name="secret"/> belongs to, if it is known and not revoked.</summary>
    public async Task<ApiKeyRecord?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        byte[] hash = ApiKeySecrets.Hash(secret);
        string hashText = Convert.ToHexStringLower(hash);
        if (!cache.TryGetValue(CacheKey(hashText), out ApiKeyRecord? key) || key is null)
        {
            key = await store.FindByHashAsync(hashText, cancellationToken);
            if (key is null || key.IsRevoked)
            {
                return null;
            }
            cache.Set(CacheKey(hashText), key, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TrustFor, Size = 1 });
        }
        // The row was found by its hash; the comparison that decides is still made in constant time, on the hashes.
        if (!CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(key.SecretHash)))
        {
            return null;
        }
        await RecordUseAsync(key, cancellationToken);
        return key;
    }

    /// <summary>A key revoked here stops working here at once.</summary>
    public void Forget(ApiKeyRecord key) => cache.Remove(CacheKey(key.SecretHash));

    private async Task RecordUseAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long last = _recorded.GetOrAdd(key.Id, key.LastUsedAt?.ToUnixTimeMilliseconds() ?? 0);
        if (now - last < (long)LastUsedResolution.TotalMilliseconds || !_recorded.TryUpdate(key.Id, now, last))
        {
            return; // recorded lately, or another request is recording it now
        }
        try
        {
            await store.TouchAsync(key.Id, DateTimeOffset.FromUnixTimeMilliseconds(now), LastUsedResolution, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LastUseNotRecorded(error, key.Id); // a bookkeeping write must not fail the call
        }
    }

    private static string CacheKey(string hashText) => "linreg-api-key:" + hashText;
}
