namespace LinRegService.Headers;

/// <summary>
/// Headers that keep a browser from turning the service's pages against their user, on every
/// answer (harmless on JSON, and an SVG plot opened on its own is a document too): scripts and
/// styles only from the service's own files (the dashboard and Swagger UI have no inline script),
/// no framing (the dashboard's Cancel button cannot be clickjacked), no content sniffing, and no
/// Referer sent elsewhere.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Images also from <c>data:</c> (Swagger UI's icons, the dashboard's empty favicon). The
    /// dashboard sets its few styles through the DOM, which CSP allows, so inline styles are refused.
    /// </summary>
    /// <remarks>
    /// <c>blob:</c> images: with an API key the dashboard fetches plots with its Bearer header and
    /// shows them through <c>blob:</c> URLs, so the key never goes into an image URL.
    /// </remarks>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The one <c>&lt;style&gt;</c> element Swagger UI's bundle (5.33.3, Swashbuckle 10.3.1) inserts,
    /// allowed by its hash rather than by <c>'unsafe-inline'</c>. Another Swagger UI version inserts
    /// another: the browser test then fails with Chromium's message, which names the new hash.
    /// </summary>
    public const string SwaggerUiStyleHash = "sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=";

    /// <summary>Swagger UI's pages: the same, and its one inline style element. Inline script stays refused.</summary>
    public const string SwaggerUiContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' '" + SwaggerUiStyleHash + "'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // At the start of the response, so answers written after an exception (whose handler clears headers) keep them too.
            context.Response.OnStarting(() =>
            {
                IHeaderDictionary headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase)
                    ? SwaggerUiContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
