using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LinRegService.Events;

/// <summary><c>GET /api/jobs/{id}/events</c>: a job's status and epoch losses as server-sent events.</summary>
internal static class EventEndpoints
{
    public static IEndpointRouteBuilder MapJobEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/jobs/{id}/events", WatchAsync)
            .WithTags("Jobs")
            .WithName("WatchJob")
            .WithSummary("Watch a job as server-sent events")
            .WithDescription("A `text/event-stream`: `event: status` at once and on every status change (data: the job without its samples), "
                + "`event: epoch` after every finished epoch (data: `{\"epoch\": k, \"loss\": x}`, k from 1, also the event's `id`), "
                + "then `event: done` (data: `{\"id\": …, \"status\": …}`) and the stream ends. Comment lines keep an idle stream open. "
                + "A `Last-Event-ID` header (sent by EventSource when it reconnects) skips the epochs already received.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<JobEventStream, ProblemHttpResult>> WatchAsync(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        VisibleJobs jobs,
        JobChangeFeed feed,
        CancellationToken cancellationToken)
    {
        // Watch first, then read: a change between the two is then seen as a signal, never lost.
        JobWatch watch = feed.Watch(id);
        try
        {
            if (await jobs.FindWithoutSamplesAsync(id, cancellationToken) is not { } job)
            {
                watch.Dispose();
                return Problems.NotFound(id);
            }
            int alreadySent = int.TryParse(lastEventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
            return new JobEventStream(job, watch, alreadySent);
        }
        catch
        {
            watch.Dispose();
            throw;
        }
    }
}
