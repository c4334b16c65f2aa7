using System.Reflection;
using System.Text.Json;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Events;
using LinRegService.Hosting;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace LinRegService.Sweeps;

/// <summary><c>GET /api/sweeps/{id}/events</c>: a sweep's progress as server-sent events.</summary>
internal static class SweepEvents
{
    public static IEndpointRouteBuilder MapSweepEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sweeps/{id}/events", WatchAsync)
            .WithTags("Sweeps")
            .WithName("WatchSweep")
            .WithSummary("Watch a sweep as server-sent events")
            .WithDescription("A `text/event-stream`: `event: sweep` at once and whenever a job's status changes (data: the sweep), "
                + "`event: epoch` after every finished epoch of any of its jobs (data: `{\"jobId\": …, \"epoch\": k, \"loss\": x}`), "
                + "then `event: done` (data: `{\"id\": …, \"status\": …}`) once every job has ended, and the stream ends. "
                + "Comment lines keep an idle stream open. It counts toward the key's `Events:MaxStreamsPerKey`.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<SweepEventStream, ProblemHttpResult>> WatchAsync(
        string id, VisibleSweeps sweeps, JobChangeFeed feed, OpenStreams streams, IOptions<EventsOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        string caller = Caller.From(context.User).KeyId is { } keyId ? "key:" + keyId : "address:" + context.Connection.RemoteIpAddress;
        int max = options.Value.MaxStreamsPerKey;
        if (await sweeps.FindAsync(id, cancellationToken) is not { } sweep)
        {
            return SweepEndpoints.NotFound(id);
        }
        if (streams.TryOpen(caller, max) is not { } slot)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open event streams",
                detail: $"This key has {max} event streams open, as many as Events:MaxStreamsPerKey allows. Close one, or retry after 5 s.",
                extensions: new Dictionary<string, object?> { ["limit"] = max, ["used"] = max, ["retryAfterSeconds"] = 5 });
        }
        try
        {
            // Watch the jobs before the stream's first read: a change in between is then a signal, never lost.
            List<JobRecord> jobs = await sweeps.JobsAsync(id, withLosses: false, cancellationToken);
            return new SweepEventStream(sweep, feed.Watch([.. jobs.Select(j => j.Id)]), slot);
        }
        catch
        {
            slot.Dispose(); // a client gone (or a store that did not answer) must not keep the key's stream slot
            throw;
        }
    }
}

/// <summary>
/// The body of a sweep's event stream: woken when any of its jobs changes (or every
/// <c>RecheckInterval</c> in case a notice was lost), it re-reads the jobs' statuses and only the
/// losses it has not sent, of jobs that have not ended, at most every twentieth of a second, so 64
/// jobs finishing at once cost a few reads, not 64, and long jobs' losses are read once.
/// </summary>
internal sealed class SweepEventStream(SweepRecord sweep, JobWatch watch, IDisposable slot) : IResult, IEndpointMetadataProvider
{
    private static readonly TimeSpan _minReadInterval = TimeSpan.FromMilliseconds(50);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using JobWatch owned = watch;
        using IDisposable open = slot;
        IServiceProvider services = httpContext.RequestServices;
        EventsOptions settings = services.GetRequiredService<IOptions<EventsOptions>>().Value;
        JsonSerializerOptions json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        VisibleSweeps sweeps = services.GetRequiredService<VisibleSweeps>();
        IJobStore store = services.GetRequiredService<IJobStore>();
        TimeProvider clock = services.GetRequiredService<TimeProvider>();
        ILogger logger = services.GetRequiredService<ILogger<SweepEventStream>>();
        using IDisposable? scope = logger.BeginScope(new Dictionary<string, object> { [LogProperties.SweepId] = sweep.Id });

        HttpResponse response = httpContext.Response;
        response.ContentType = JobEventStream.ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        CancellationToken token = stop.Token;
        var writer = new SseWriter(response.Body, json);
        var losses = new Dictionary<string, List<double>>(StringComparer.Ordinal); // every job's losses sent so far
        var complete = new HashSet<string>(StringComparer.Ordinal); // ended, and every loss sent
        string? lastState = null; // the job statuses the last sweep event showed
        long lastWrite = clock.GetTimestamp();
        try
        {
            while (true)
            {
                long read = clock.GetTimestamp();
                (List<PendingEvent> events, bool done) = ([], false);
                try
                {
                    (events, done) = await ReadAsync(sweeps, store, losses, complete, lastState, token);
                    lastState = events.FirstOrDefault(e => e.Name == "sweep") is { } changed ? StateOf(changed) : lastState;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.EventStreamReadFailed(error, settings.RecheckInterval); // the next recheck tries again
                }
                // In slices, so a reconnect to a long sweep is never one huge buffer.
                foreach (PendingEvent[] slice in events.Chunk(1000))
                {
                    await writer.WriteAsync(slice, token);
                    lastWrite = clock.GetTimestamp();
                }
                if (done)
                {
                    return;
                }
                TimeSpan pause = _minReadInterval - clock.GetElapsedTime(read);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, clock, token);
                }
                while (!await owned.WaitAsync(Shorter(settings.RecheckInterval, settings.KeepAliveInterval - clock.GetElapsedTime(lastWrite)), token)
                    && clock.GetElapsedTime(read) < settings.RecheckInterval)
                {
                    if (clock.GetElapsedTime(lastWrite) >= settings.KeepAliveInterval)
                    {
                        await writer.WriteKeepAliveAsync(token);
                        lastWrite = clock.GetTimestamp();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the client left or the service is stopping
        }
    }

    /// <summary>
    /// One re-read: the jobs' statuses, then the new losses of jobs that are past queued and not
    /// yet complete (a job read as ended has stored all its losses, so it is read once more, then
    /// never). A rerun's losses equal the first attempt's (training is deterministic), so epochs
    /// already sent are not sent again. A <c>sweep</c> event when a status changed; <c>done</c> at the end.
    /// </summary>
    private async Task<(List<PendingEvent> Events, bool Done)> ReadAsync(VisibleSweeps sweeps, IJobStore store,
        Dictionary<string, List<double>> losses, HashSet<string> complete, string? lastState, CancellationToken token)
    {
        List<JobRecord> jobs = await sweeps.JobsAsync(sweep.Id, withLosses: false, token);
        var events = new List<PendingEvent>();
        foreach (JobRecord job in jobs)
        {
            List<double> known = losses.TryGetValue(job.Id, out List<double>? list) ? list : losses[job.Id] = [];
            if (complete.Contains(job.Id) || job.Status == JobStatus.Queued)
            {
                continue;
            }
            if (await store.GetProgressAsync(job.Id, known.Count, token) is { } progress)
            {
                foreach (double loss in progress.NewLosses)
                {
                    known.Add(loss);
                    events.Add(new PendingEvent("epoch", new SweepEpochEvent(job.Id, known.Count, loss)));
                }
            }
            if (job.Status.IsFinished())
            {
                complete.Add(job.Id);
            }
        }
        Sweep now = sweep.ToContract([.. jobs.Select(job => job with { EpochLosses = losses.GetValueOrDefault(job.Id) ?? [] })]);
        var sweepEvent = new PendingEvent("sweep", now);
        if (StateOf(sweepEvent) != lastState)
        {
            events.Insert(0, sweepEvent);
        }
        // Every job ended, or none is left (deleted through /api/jobs): either way the sweep has ended.
        bool done = now.Status is SweepStatus.Finished or SweepStatus.Canceled;
        if (done)
        {
            events.Add(new PendingEvent("done", new { id = sweep.Id, status = now.Status }));
        }
        return (events, done);
    }

    private static string StateOf(PendingEvent sweepEvent) =>
        string.Join(",", ((Sweep)sweepEvent.Data).Jobs.Select(j => $"{j.JobId}/{j.Status}"));

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b)
    {
        TimeSpan shorter = a < b ? a : b;
        return shorter > TimeSpan.Zero ? shorter : TimeSpan.Zero;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), [JobEventStream.ContentType]));
}
