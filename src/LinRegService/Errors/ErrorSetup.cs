using Microsoft.AspNetCore.Diagnostics;
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
}

/// <summary>
/// Turns <see cref="BadHttpRequestException"/> into a problem with its status code; a binding or
/// JSON failure names its field in <c>errors</c> and says what it should hold, in words.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var problem = new ProblemDetails { Status = bad.StatusCode };
        switch (bad.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                problem.Title = "Request body too large";
                problem.Detail = bad.Message;
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Title = "Unsupported content type: send application/json";
                problem.Detail = $"The body's Content-Type is '{httpContext.Request.ContentType}'; this endpoint reads application/json.";
                break;
            case StatusCodes.Status400BadRequest:
                (string field, string message) = ReadableBindingErrors.Describe(bad);
                problem.Title = "The request could not be read";
                problem.Detail = message;
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
                break;
            default:
                problem.Title = "The request could not be read";
                problem.Detail = bad.Message;
                break;
        }
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }
}
