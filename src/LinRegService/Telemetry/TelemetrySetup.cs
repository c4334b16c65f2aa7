using LinRegService.Auth;
using LinRegService.Hosting;
using LinRegService.Queue;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LinRegService.Telemetry;

/// <summary>
/// OpenTelemetry in one place: the service's meter and spans, ASP.NET Core, HttpClient, runtime
/// and Npgsql instrumentation; export to Prometheus (<c>/metrics</c>, when
/// <c>Telemetry:PrometheusEndpoint</c> is true) and over OTLP (when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set; the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables apply as the exporter reads them).
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.Services.AddSingleton<JobMetrics>(); // told what happens whether or not anything listens
        TelemetryOptions settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
        if (!settings.Enabled)
        {
            return builder;
        }
        string serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : "linregservice";
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(), autoGenerateServiceInstanceId: false)
                .AddDetector(services => new ReplicaDetector(services.GetRequiredService<ReplicaIdentity>())))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's request and connection meters, not all of them: the routing, authentication,
                // authorization, rate-limiting and memory-pool meters record on every request too, and
                // cost a GET about a tenth of its throughput here (docs/benchmarks.md, "Telemetry on and off").
                metrics.AddMeter(ServiceTelemetry.Name, "Npgsql", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (settings.PrometheusEndpoint)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(ServiceTelemetry.Name)
                // Scrapes and probes come every few seconds and say nothing about jobs. Reads are most
                // of a busy service's requests (a client polls its job every few milliseconds): their
                // spans only when asked for; http.server.request.duration has their latency anyway.
                .AddAspNetCoreInstrumentation(options => options.Filter = http =>
                    !http.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal)
                    && !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                    && (settings.TraceReads || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter(); // metrics and traces (logs go through Serilog), configured by the standard variables
        }
        return builder;
    }

    /// <summary>The queue gauges, and <c>/metrics</c> when it is on: an admin's (or the keyless local user's), never rate-limited.</summary>
    public static WebApplication MapServiceTelemetry(this WebApplication app)
    {
        // The provider first, so that it listens when the instruments are made: JobMetrics' zeros are recorded.
        app.Services.GetService<MeterProvider>();
        app.Services.GetRequiredService<JobMetrics>();
        app.Services.GetRequiredService<QueueGauges>(); // its gauges exist once it does
        TelemetryOptions settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (settings.Enabled && settings.PrometheusEndpoint)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(AuthPolicies.Admin);
        }
        return app;
    }

    /// <summary><c>service.instance.id</c>: the replica's name on its leases, so a metric or span names the replica that made it.</summary>
    private sealed class ReplicaDetector(ReplicaIdentity replica) : IResourceDetector
    {
        public Resource Detect() => new([new KeyValuePair<string, object>("service.instance.id", replica.Name)]);
    }
}
