using System.Net;
using System.Net.ServerSentEvents;
using LinRegService.Contracts;

namespace LinRegService.Tests.Support;

/// <summary><c>GET /api/jobs/{id}/events</c> as a client reads it: parsed with .NET's <see cref="SseParser"/>.</summary>
public static class JobEvents
{
    /// <summary>Opens the stream, insisting on 200 and <c>text/event-stream</c>; the caller disposes the response.</summary>
    public static async Task<HttpResponseMessage> OpenEventsAsync(this HttpClient client, string id, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            Assert.Fail($"GET /api/jobs/{id}/events answered {(int)response.StatusCode}: {body}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>Reads the whole stream (until the server ends it) within <paramref name="timeout"/>.</summary>
    public static async Task<List<JobEvent>> ReadAllEventsAsync(this HttpClient client, string id, TimeSpan? timeout = null, string? lastEventId = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? JobsApi.DefaultWait);
        using HttpResponseMessage response = await client.OpenEventsAsync(id, lastEventId, limit.Token);
        var events = new List<JobEvent>();
        await foreach (JobEvent item in ReadEventsAsync(response, limit.Token))
        {
            events.Add(item);
        }
        return events;
    }

    /// <summary>The events of an open stream, as the contract's <see cref="JobEvent"/>.</summary>
    public static async IAsyncEnumerable<JobEvent> ReadEventsAsync(HttpResponseMessage response,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (SseItem<string> item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            yield return Parse(item);
        }
    }

    public static JobEvent Parse(SseItem<string> item) => item.EventType switch
    {
        JobEventNames.Status => new JobEvent(item.EventType, Job: ApiJson.Read<Job>(item.Data)),
        JobEventNames.Epoch => new JobEvent(item.EventType, Epoch: ApiJson.Read<EpochEvent>(item.Data)),
        JobEventNames.Done => new JobEvent(item.EventType, Done: ApiJson.Read<DoneEvent>(item.Data)),
        _ => throw new InvalidOperationException($"unexpected event '{item.EventType}': {item.Data}"),
    };

    /// <summary>The events as one line each, for assertion messages.</summary>
    public static string Describe(IEnumerable<JobEvent> events) => string.Join(" | ", events.Select(e => e.Name switch
    {
        JobEventNames.Status => $"status {e.Job!.Status} ({e.Job.EpochLosses.Count} losses, attempt {e.Job.Attempts})",
        JobEventNames.Epoch => $"epoch {e.Epoch!.Epoch} {e.Epoch.Loss}",
        _ => $"done {e.Done!.Status}",
    }));
}
