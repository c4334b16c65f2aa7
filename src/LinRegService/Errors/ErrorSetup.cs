using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace LinRegService.Errors;

/// <summary>
/// Every error is an RFC 9457 problem: binding failures (malformed JSON, a wrong content type, a
/// body over the limit) keep their status with a readable detail, and anything unexpected is a
/// 500 problem without a stack trace.
/// </summary>
internal static class ErrorSetup
{
    public static IServiceCollection AddServiceProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw, so the handler above can turn them into problems with a detail.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseServiceProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Answers 413 before reading a body whose declared length is over <paramref name="maxBytes"/>, and caps the server's read of any other.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app, long maxBytes)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "Request body too large",
                        Detail = $"The body has {context.Request.ContentLength} bytes; at most {maxBytes} are accepted.",
                    },
                });
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }
            await next(context);
        });
        return app;
    }
}

/// <summary>Turns <see cref="BadHttpRequestException"/> into a problem with its status code and the JSON error's message.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported content type: send application/json",
                _ => "The request could not be read",
            },
            Detail = bad.Message,
        };
        if (bad.InnerException is System.Text.Json.JsonException { Path: { } path } json)
        {
            // Name the field the way validation errors do ("dataset.bias"), without .NET type names.
            string field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            string message = $"Malformed JSON, an unknown field, or a value of the wrong type at '{path}' (line {json.LineNumber + 1}, byte {json.BytePositionInLine}).";
            problem.Detail = message;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        }
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }
}
