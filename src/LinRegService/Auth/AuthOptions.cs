using Microsoft.Extensions.Options;

namespace LinRegService.Auth;

/// <summary>How callers prove who they are.</summary>
public enum AuthMode
{
    /// <summary>Every <c>/api</c> call needs <c>Authorization: Bearer &lt;key&gt;</c> (the default).</summary>
    ApiKeys,

    /// <summary>Calls without a key act as a local admin; allowed only when the service listens on loopback addresses alone.</summary>
    None,
}

/// <summary>Settings of authentication (section <c>Auth</c>); docs/configuration.md and docs/security.md describe them.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The shortest <c>Auth:AdminKey</c> accepted: 24 characters of base64 are 144 bits.</summary>
    public const int MinAdminKeyLength = 24;

    public AuthMode Mode { get; set; } = AuthMode.ApiKeys;

    /// <summary>A secret that is an admin key (only its hash is stored); when empty, the first start makes one and prints it.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>An <c>Auth:AdminKey</c> must be long enough to be a secret and fit in a header.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            return ValidateOptionsResult.Fail("Auth:Mode must be ApiKeys or None.");
        }
        if (string.IsNullOrEmpty(options.AdminKey))
        {
            return ValidateOptionsResult.Success;
        }
        if (options.AdminKey.Length < AuthOptions.MinAdminKeyLength || options.AdminKey.Length > 512)
        {
            return ValidateOptionsResult.Fail(
                $"Auth:AdminKey must be {AuthOptions.MinAdminKeyLength} to 512 characters (e.g. the output of `openssl rand -base64 32`); it has {options.AdminKey.Length}.");
        }
        return options.AdminKey.Any(c => c <= ' ' || c > '~')
            ? ValidateOptionsResult.Fail("Auth:AdminKey may hold only printable ASCII characters without spaces.")
            : ValidateOptionsResult.Success;
    }
}
