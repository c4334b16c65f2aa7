using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace LinRegService.Tests.Support;

/// <summary>A Serilog sink that keeps every event, registered in the service's DI (the service reads sinks from there).</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>
    /// The last request-logging line of a request to <paramref name="path"/> (that answered <paramref name="status"/>,
    /// if given), waiting for it: it is written after the response.
    /// </summary>
    public async Task<LogEvent> RequestLineAsync(string path, TimeSpan? timeout = null, int? status = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            LogEvent? line = Events.LastOrDefault(e => e.Properties.TryGetValue("RequestPath", out LogEventPropertyValue? value)
                && value is ScalarValue { Value: string p } && p == path && e.Properties.TryGetValue("StatusCode", out LogEventPropertyValue? code)
                && (status is null || code.ToString() == status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(10, expiry.Token);
        }
    }
}
