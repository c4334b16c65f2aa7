using System.Security.Claims;
using LinRegService.Contracts;
using LinRegService.Keys;

namespace LinRegService.Auth;

/// <summary>
/// Who is calling, as the application services see it: a key (its id owns the jobs it submits)
/// or, with <c>Auth:Mode</c> <c>None</c>, the local user. Built from the request's
/// <see cref="ClaimsPrincipal"/>, so those services never read the HTTP request themselves.
/// </summary>
public interface ICaller
{
    /// <summary>The key's id; null for a call without a key (<c>Auth:Mode</c> <c>None</c>).</summary>
    string? KeyId { get; }

    /// <summary>Admins see every job and manage the keys.</summary>
    bool IsAdmin { get; }

    /// <summary>The role the telemetry counts the caller's jobs under: <c>admin</c>, <c>user</c>, or <c>none</c> for a call without a key.</summary>
    string Role => KeyId is null ? "none" : IsAdmin ? Caller.AdminRole : Caller.UserRole;

    /// <summary>Whether a job owned by <paramref name="owner"/> (null: no key's) is the caller's to see and change.</summary>
    bool CanSee(string? owner) => IsAdmin || (KeyId is not null && owner == KeyId);
}

/// <summary>The caller of one request, read from its claims.</summary>
public sealed class Caller(string? keyId, bool isAdmin) : ICaller
{
    /// <summary>The claim that carries the key's id (its role is a <see cref="ClaimTypes.Role"/> claim).</summary>
    public const string KeyIdClaim = "linreg:key_id";

    public const string AdminRole = "admin";
    public const string UserRole = "user";

    /// <summary>No one: a caller outside a request may see nothing.</summary>
    public static Caller Nobody { get; } = new(null, isAdmin: false);

    public string? KeyId { get; } = keyId;

    public bool IsAdmin { get; } = isAdmin;

    public static Caller From(ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true
        ? new Caller(user.FindFirstValue(KeyIdClaim), user.IsInRole(AdminRole))
        : Nobody;

    /// <summary>The principal of a call made with <paramref name="key"/>: its id, name and role, never its secret.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKeyRecord key, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(KeyIdClaim, key.Id),
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(ClaimTypes.Role, key.Role == ApiKeyRole.Admin ? AdminRole : UserRole),
        ], scheme));

    /// <summary>The principal of a call without a key when <c>Auth:Mode</c> is <c>None</c>: a local admin that owns nothing.</summary>
    public static ClaimsPrincipal LocalPrincipal(string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, "local"),
            new Claim(ClaimTypes.Role, AdminRole),
        ], scheme));
}
