using Serilog;
using Serilog.Formatting.Compact;

namespace LinRegService.Hosting;

/// <summary>
/// Serilog in two stages: <see cref="CreateStartupLogger"/> logs until the host is built (and a
/// failure to start), then <see cref="AddServiceLogging"/> configures the real logger from
/// settings. The static logger is left alone (preserveStaticLogger), so many hosts can start in
/// one process, as the integration tests do.
/// </summary>
internal static class Logging
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}{JobIdText}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger CreateStartupLogger() =>
        new LoggerConfiguration().WriteTo.Console().CreateLogger();

    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        bool compact = builder.Configuration["Logging:ConsoleFormat"] switch
        {
            "compact" => true,
            "text" => false,
            _ => builder.Environment.IsProduction(),
        };
        builder.Services.AddSerilog(
            (services, configuration) =>
            {
                configuration
                    .ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (compact)
                {
                    configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    configuration
                        .Enrich.With<JobIdTextEnricher>()
                        .WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>Request logging through the service's own logger (never the static one).</summary>
    public static WebApplication UseServiceRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = LevelOf;
            options.EnrichDiagnosticContext = (context, http) =>
            {
                // The key's id, never its secret: who made the call, on every line a key authenticated.
                if (http.User.FindFirst(Auth.Caller.KeyIdClaim)?.Value is { } keyId)
                {
                    context.Set(LogProperties.KeyId, keyId);
                }
                if (http.Request.RouteValues.TryGetValue("id", out object? id) && id is string jobId && !IsKeyRoute(http))
                {
                    context.Set(LogProperties.JobId, jobId);
                }
            };
        });
        return app;
    }

    private static bool IsKeyRoute(HttpContext http) => http.Request.Path.StartsWithSegments("/api/keys", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A client's mistake (4xx) is Information, load shedding (503) a Warning, and only the
    /// service's own faults are Errors: a flood of bad requests must not read as an outage.
    /// </summary>
    internal static Serilog.Events.LogEventLevel LevelOf(HttpContext context, double elapsedMs, Exception? error) =>
        (error, context.Response.StatusCode) switch
        {
            (not null, _) => Serilog.Events.LogEventLevel.Error,
            (_, StatusCodes.Status503ServiceUnavailable) => Serilog.Events.LogEventLevel.Warning,
            (_, >= 500) => Serilog.Events.LogEventLevel.Error,
            _ => Serilog.Events.LogEventLevel.Information,
        };
}

/// <summary>Names of the structured properties the service logs.</summary>
internal static class LogProperties
{
    public const string JobId = "JobId";

    /// <summary>The id of the API key a request was made with.</summary>
    public const string KeyId = "KeyId";

    /// <summary>The id of the sweep a line is about (beside the job id, for a sweep's job).</summary>
    public const string SweepId = "SweepId";
}

/// <summary>
/// Adds " job {id}" to text log lines that carry a JobId, so plain console output shows it too, and
/// the line's trace and span ids after it (compact JSON lines carry them as <c>@tr</c> and <c>@sp</c>).
/// </summary>
internal sealed class JobIdTextEnricher : Serilog.Core.ILogEventEnricher
{
    public void Enrich(Serilog.Events.LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
    {
        string text = "";
        if (logEvent.Properties.TryGetValue(LogProperties.JobId, out var id))
        {
            text = $" job {id.ToString().Trim('"')}";
            if (logEvent.TraceId is { } trace && logEvent.SpanId is { } span)
            {
                text += $" (trace {trace.ToHexString()} span {span.ToHexString()})";
            }
        }
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("JobIdText", text));
    }
}
