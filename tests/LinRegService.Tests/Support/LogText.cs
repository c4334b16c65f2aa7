using Serilog.Events;

namespace LinRegService.Tests.Support;

/// <summary>All of a log event as text: its rendered message, every property and its exception, to search for what must never be logged.</summary>
public static class LogText
{
    public static string Of(LogEvent logEvent) => string.Join(" | ",
        new[] { logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture), logEvent.Exception?.ToString() ?? "" }
            .Concat(logEvent.Properties.Select(p => $"{p.Key}={p.Value}")));
}
