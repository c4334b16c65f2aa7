using System.Text;
using System.Text.Json;

namespace LinRegService.Events;

/// <summary>
/// Writes the <c>text/event-stream</c> format (WHATWG HTML, "server-sent events"). Written by hand
/// because .NET's <c>SseFormatter</c> cannot write comment lines, which are the keep-alives here.
/// </summary>
internal sealed class SseWriter(Stream body, JsonSerializerOptions json)
{
    private static readonly byte[] _keepAlive = Encoding.UTF8.GetBytes(": keep-alive\n\n");

    public async Task WriteAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (PendingEvent item in events)
        {
            text.Append("event: ").Append(item.Name).Append('\n');
            if (item.Id is not null)
            {
                text.Append("id: ").Append(item.Id).Append('\n');
            }
            // Compact JSON has no line breaks, but a data field must never hold one: split to be safe.
            foreach (string line in JsonSerializer.Serialize(item.Data, item.Data.GetType(), json).Split('\n'))
            {
                text.Append("data: ").Append(line).Append('\n');
            }
            text.Append('\n');
        }
        await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    public async Task WriteKeepAliveAsync(CancellationToken cancellationToken)
    {
        await body.WriteAsync(_keepAlive, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
