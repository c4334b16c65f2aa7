namespace LinRegService.Auth;

/// <summary>The authorization policies endpoints name.</summary>
public static class AuthPolicies
{
    /// <summary>An admin key (or the local user of <c>Auth:Mode</c> <c>None</c>).</summary>
    public const string Admin = "Admin";
}
