using LinRegService.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinRegService.Auth;

/// <summary>
/// With <c>Auth:Mode</c> <c>None</c>, where a call needs no key, a web page the developer has open
/// must not be able to drive the service: a <c>Host</c> that is not a loopback name (DNS rebinding:
/// evil.example resolving to 127.0.0.1) is a 400, and a request from another site (an
/// <c>Origin</c> that is not the service's own, or a browser's <c>Sec-Fetch-Site: cross-site</c>
/// on anything but a navigation) is a 403. With keys this is not needed: a browser does not add
/// an <c>Authorization</c> header to another site's requests.
/// </summary>
internal static class LocalRequestGuard
{
    public static WebApplication UseLocalRequestGuard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode != AuthMode.None)
        {
            return app;
        }
        app.Use(async (context, next) =>
        {
            HttpRequest request = context.Request;
            if (!LoopbackAddresses.IsLoopbackHost(request.Host.Value ?? ""))
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "Host not served",
                    "Auth:Mode is None: the service answers only requests addressed to localhost, 127.0.0.1 or [::1].");
                return;
            }
            if (IsCrossSite(request))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                    "Auth:Mode is None: the service answers only its own pages, not another site's (Origin "
                    + $"'{request.Headers.Origin}', expected '{request.Scheme}://{request.Host}').");
                return;
            }
            await next(context);
        });
        return app;
    }

    private static bool IsCrossSite(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin))
        {
            // "null" (a sandboxed frame, a file: page) is no origin of ours either.
            return !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
        }
        return request.Headers["Sec-Fetch-Site"] == "cross-site" && request.Headers["Sec-Fetch-Mode"] != "navigate";
    }

    private static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
