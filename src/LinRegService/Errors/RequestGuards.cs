using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace LinRegService.Errors;

/// <summary>Checks a request before any endpoint reads it: its body's declared size and encoding.</summary>
internal static class RequestGuards
{
    /// <summary>Longest path and query accepted, as Kestrel's default request line (8 KiB).</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Largest headers accepted, as Kestrel's default (32 KiB).</summary>
    public const int MaxHeadersLength = 32 * 1024;

    /// <summary>Most header fields accepted, as Kestrel's default (100).</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>
    /// Kestrel answers requests over its own limits with an empty body before any middleware runs,
    /// so its limits sit at twice the service's: a request between the two gets a problem body
    /// from <see cref="UseRequestGuards"/>, and only a grossly oversized one Kestrel's bare answer.
    /// </summary>
    public static WebApplicationBuilder AddRequestGuards(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = 2 * MaxTargetLength;
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeadersLength;
            kestrel.Limits.MaxRequestHeaderCount = 2 * MaxHeaderCount;
        });
        return builder;
    }

    /// <summary>
    /// Answers 413 before reading a body whose declared length is over <paramref name="maxBytes"/>,
    /// caps the server's read of any other, and answers 415 for a body in a Content-Encoding the
    /// service does not decode (gzip and the like would otherwise reach the JSON reader as bytes).
    /// </summary>
    public static WebApplication UseRequestGuards(this WebApplication app, long maxBytes)
    {
        app.Use(async (context, next) =>
        {
            HttpRequest request = context.Request;
            if (TargetLength(request) > MaxTargetLength)
            {
                await WriteAsync(context, StatusCodes.Status414UriTooLong, "URI too long",
                    $"The request's path and query are longer than {MaxTargetLength} characters.");
                return;
            }
            (long headersLength, int headerFields) = HeadersSize(request);
            if (headersLength > MaxHeadersLength)
            {
                await WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                    $"The request's headers are larger than {MaxHeadersLength} bytes.");
                return;
            }
            if (headerFields > MaxHeaderCount)
            {
                await WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Too many request headers",
                    $"The request has more than {MaxHeaderCount} header fields.");
                return;
            }
            // An endpoint may set its own limit (the CSV upload's Datasets:MaxBytes); every other takes Jobs:MaxRequestBytes.
            BodyLimit? own = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>();
            long limitBytes = own?.MaxRequestBodySize ?? maxBytes;
            if (request.ContentLength > limitBytes)
            {
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The body has {request.ContentLength} bytes; at most {limitBytes} are accepted ({own?.Setting ?? "Jobs:MaxRequestBytes"}).",
                    own is null ? null : new Dictionary<string, object?> { ["limit"] = own.Setting, ["max"] = limitBytes });
                return;
            }
            if (request.Headers.ContentEncoding is { Count: > 0 } encodings
                && !encodings.All(e => string.Equals(e?.Trim(), "identity", StringComparison.OrdinalIgnoreCase)))
            {
                await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Encoding",
                    $"The body is sent with Content-Encoding '{encodings}'; send it uncompressed (identity).");
                return;
            }
            if (NonUtf8JsonCharset(request) is { } charset)
            {
                // RFC 8259: JSON between systems is UTF-8; the framework's reader would fail on an unknown charset with a 500.
                await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                    $"The JSON body is declared as charset '{charset}'; send it as UTF-8 (charset=utf-8, or no charset).");
                return;
            }
            DropEmptyQueryValues(request);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = limitBytes;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The charset of a JSON body's Content-Type when it is not UTF-8; null otherwise.</summary>
    private static string? NonUtf8JsonCharset(HttpRequest request)
    {
        // The framework's own test of a JSON media type (application/json, any +json), then its charset.
        if (!request.HasJsonContentType()
            || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out Microsoft.Net.Http.Headers.MediaTypeHeaderValue? type)
            || !type.Charset.HasValue)
        {
            return null;
        }
        string charset = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Charset).Value ?? "";
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ? null : charset;
    }

    private static int TargetLength(HttpRequest request) =>
        (request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);

    /// <summary>The headers' length as on the wire and their count of fields (lines), in one pass.</summary>
    private static (long Length, int Fields) HeadersSize(HttpRequest request)
    {
        long total = 0;
        int fields = 0;
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
        {
            foreach (string? value in values)
            {
                total += name.Length + (value?.Length ?? 0) + 4; // ": " and CRLF, as on the wire
                fields++;
            }
        }
        return (total, fields);
    }

    /// <summary>
    /// <c>?offset=&amp;count=</c>, as the README writes a query, means "not given": an empty value
    /// would otherwise fail to bind as a number.
    /// </summary>
    private static void DropEmptyQueryValues(HttpRequest request)
    {
        IQueryCollection query = request.Query;
        if (!query.Any(pair => pair.Value.All(string.IsNullOrEmpty)))
        {
            return;
        }
        var kept = new QueryBuilder();
        foreach ((string key, Microsoft.Extensions.Primitives.StringValues values) in query)
        {
            foreach (string? value in values)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    kept.Add(key, value);
                }
            }
        }
        request.QueryString = kept.ToQueryString();
    }

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach ((string key, object? value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}

/// <summary>
/// An endpoint's own body limit in place of <c>Jobs:MaxRequestBytes</c>, and the setting it comes
/// from. Not routing's <c>IRequestSizeLimitMetadata</c>: the guards apply it, with a problem body.
/// </summary>
internal sealed record BodyLimit(long MaxRequestBodySize, string Setting);
