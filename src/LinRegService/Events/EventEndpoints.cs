using LinRegService.Auth;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinRegService.Events;

/// <summary><c>GET /api/jobs/{id}/events</c>: a job's status and epoch losses as server-sent events.</summary>
internal static class EventEndpoints
{
    public static IEndpointRouteBuilder MapJobEvents(this IEndpointRouteBuilder app)
    {
        app.ServiceProvider.GetRequiredService<OpenStreams>(); // its gauge of open streams exists from the start, at 0
        app.MapGet("/api/jobs/{id}/events", WatchAsync)
            .WithTags("Jobs")
            .WithName("WatchJob")
            .WithSummary("Watch a job as server-sent events")
            .WithDescription("A `text/event-stream`: `event: status` at once and on every status change (data: the job without its samples), "
                + "`event: epoch` after every finished epoch (data: `{\"epoch\": k, \"loss\": x}`, k from 1, also the event's `id`), "
                + "then `event: done` (data: `{\"id\": …, \"status\": …}`) and the stream ends. Comment lines keep an idle stream open. "
                + "A `Last-Event-ID` header (sent by EventSource when it reconnects) skips the epochs already received. "
                + "A key holds at most `Events:MaxStreamsPerKey` streams open at once; one more is a 429.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<JobEventStream, ProblemHttpResult>> WatchAsync(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        VisibleJobs jobs,
        JobChangeFeed feed,
        OpenStreams streams,
        IOptions<EventsOptions> options,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        string caller = Caller.From(context.User).KeyId is { } keyId ? "key:" + keyId : "address:" + context.Connection.RemoteIpAddress;
        int max = options.Value.MaxStreamsPerKey;
        if (streams.TryOpen(caller, max) is not { } slot)
        {
            return TooManyStreams(context, max);
        }
        // Watch first, then read: a change between the two is then seen as a signal, never lost.
        JobWatch watch = feed.Watch(id);
        try
        {
            if (await jobs.FindWithoutSamplesAsync(id, cancellationToken) is not { } job)
            {
                watch.Dispose();
                slot.Dispose();
                return Problems.NotFound(id);
            }
            int alreadySent = int.TryParse(lastEventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
            return new JobEventStream(job, watch, alreadySent, slot);
        }
        catch
        {
            watch.Dispose();
            slot.Dispose();
            throw;
        }
    }

    private static ProblemHttpResult TooManyStreams(HttpContext context, int max)
    {
        // When one ends is the client's doing; a few seconds is a fair pause before asking again.
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many open event streams",
            detail: $"This key has {max} event streams open, as many as Events:MaxStreamsPerKey allows. Close one, or retry after 5 s.",
            extensions: new Dictionary<string, object?> { ["limit"] = max, ["used"] = max, ["retryAfterSeconds"] = 5 });
    }
}
