using System.Net;
using System.Text.Encodings.Web;
using LinRegService.Keys;
using LinRegService.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LinRegService.Auth;

/// <summary>
/// The <c>Bearer</c> API-key scheme: <c>Authorization: Bearer &lt;key&gt;</c> names a key that is
/// not revoked (checked through <see cref="AuthenticatedKeys"/>). With <c>Auth:Mode</c> <c>None</c>
/// a call without the header, from a loopback connection, is the local admin; a key sent anyway
/// is checked as usual. A refusal is a problem body: 401 with <c>WWW-Authenticate: Bearer</c>, or 403.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AuthenticatedKeys keys,
    IOptions<AuthOptions> auth,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        StringValues header = Request.Headers.Authorization;
        if (StringValues.IsNullOrEmpty(header))
        {
            return auth.Value.Mode == AuthMode.None && IsLoopback(Context.Connection.RemoteIpAddress)
                ? AuthenticateResult.Success(new AuthenticationTicket(Caller.LocalPrincipal(SchemeName), SchemeName))
                : AuthenticateResult.NoResult();
        }
        if (header.Count > 1 || !TryReadBearer(header.ToString(), out string secret))
        {
            return AuthenticateResult.Fail("The Authorization header must be one `Bearer <key>`.");
        }
        ApiKeyRecord? key = await keys.AuthenticateAsync(secret, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("The API key is not one this service knows, or it was revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(Caller.PrincipalOf(key, SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750: a key that was sent and refused is an invalid_token; no key at all gets the bare scheme.
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        string detail = result.Failure?.Message ?? (auth.Value.Mode == AuthMode.None
            ? "Auth:Mode is None, which serves calls without a key only from this machine (a loopback connection); send Authorization: Bearer <key>."
            : "Send Authorization: Bearer <key> with an API key (docs/security.md says how to get one).");
        await WriteProblemAsync("An API key is needed", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync("This needs an admin key", "The API key is a user key; managing keys takes an admin key.");
    }

    private Task WriteProblemAsync(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = new ProblemDetails { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    /// <summary>"Bearer &lt;key&gt;", the scheme's name in any case (RFC 9110), one space or more, a key without spaces.</summary>
    private static bool TryReadBearer(string header, out string secret)
    {
        secret = "";
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        secret = header[prefix.Length..].Trim(' ');
        return secret.Length is > 0 and <= 512 && !secret.Contains(' ', StringComparison.Ordinal);
    }

    /// <summary>An in-process test server reports no address; everything else must come over loopback.</summary>
    private static bool IsLoopback(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}
