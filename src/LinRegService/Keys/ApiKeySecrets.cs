using System.Security.Cryptography;
using System.Text;

namespace LinRegService.Keys;

/// <summary>
/// Key secrets and what is kept of them. A secret is <c>lrs_</c> and 32 random bytes in base64url
/// (256 bits: no salt or slow hash is needed, nothing can be guessed); the store keeps its SHA-256.
/// </summary>
internal static class ApiKeySecrets
{
    public const string Prefix = "lrs_";

    public static string NewSecret() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A key's public id: random, like a job's.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string HashText(string secret) => Convert.ToHexStringLower(Hash(secret));

    /// <summary>
    /// The id of the <c>Auth:AdminKey</c> secret: derived from its hash, so every replica names it alike and
    /// a new secret is a new key. A hash of the hash: the id shows nothing of the secret's stored hash.
    /// </summary>
    public static string ConfiguredId(string secretHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("linreg-config-admin:" + secretHash)))[..32];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
