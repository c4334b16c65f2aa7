namespace LinRegService.Telemetry;

/// <summary>The <c>Telemetry</c> settings; OTLP export is set by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables instead.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Whether metrics and traces are collected at all (off: no instrument is listened to, no span is made).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether <c>/metrics</c> answers in Prometheus's text format (with <c>Auth:Mode</c> <c>ApiKeys</c>, to an admin key only).</summary>
    public bool PrometheusEndpoint { get; set; }

    /// <summary>Whether GET and HEAD requests get spans too; off, only the requests that change something (submissions, cancels, deletes) do.</summary>
    public bool TraceReads { get; set; }
}
