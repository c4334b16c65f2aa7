using System.Reflection;
using System.Text.Json;
using LinRegService.Hosting;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace LinRegService.Events;

/// <summary>
/// The body of <c>GET /api/jobs/{id}/events</c>: sends the job's events as it changes, until
/// <c>done</c>, the client leaving, or the service stopping. Woken by <see cref="JobWatch"/> (the
/// store's change notifications), it also re-reads the job every <c>RecheckInterval</c> in case a
/// notification was lost, and sends a keep-alive comment after <c>KeepAliveInterval</c> of silence.
/// It never reads the job's samples: a wide job's samples are most of its row, and a stream re-reads
/// after every batch of epochs.
/// </summary>
internal sealed class JobEventStream(JobRecord first, JobWatch watch, int epochsAlreadySent, IDisposable slot) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using JobWatch owned = watch;
        using IDisposable open = slot; // the caller's stream slot, free again however the stream ends
        IServiceProvider services = httpContext.RequestServices;
        EventsOptions settings = services.GetRequiredService<IOptions<EventsOptions>>().Value;
        JsonSerializerOptions json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        IJobStore store = services.GetRequiredService<IJobStore>();
        TimeProvider clock = services.GetRequiredService<TimeProvider>();
        ILogger logger = services.GetRequiredService<ILogger<JobEventStream>>();
        using IDisposable? scope = logger.BeginScope(new Dictionary<string, object> { [LogProperties.JobId] = first.Id });

        HttpResponse response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy passes each event on at once
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // The client leaving ends the stream, and so does the host stopping (an open stream must not hold up shutdown).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        CancellationToken token = stop.Token;
        var writer = new SseWriter(response.Body, json);
        var tracker = new JobEventTracker(epochsAlreadySent);
        JobRecord? job = first;
        long lastRead = clock.GetTimestamp();
        long lastWrite = lastRead;
        try
        {
            while (job is not null)
            {
                IReadOnlyList<PendingEvent> events = tracker.Next(job);
                if (events.Count > 0)
                {
                    await writer.WriteAsync(events, token);
                    lastWrite = clock.GetTimestamp();
                }
                if (tracker.Done)
                {
                    return;
                }
                while (true)
                {
                    TimeSpan untilKeepAlive = settings.KeepAliveInterval - clock.GetElapsedTime(lastWrite);
                    TimeSpan untilRecheck = settings.RecheckInterval - clock.GetElapsedTime(lastRead);
                    TimeSpan wait = untilKeepAlive < untilRecheck ? untilKeepAlive : untilRecheck;
                    bool changed = await owned.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, token);
                    if (changed || clock.GetElapsedTime(lastRead) >= settings.RecheckInterval)
                    {
                        break;
                    }
                    if (clock.GetElapsedTime(lastWrite) >= settings.KeepAliveInterval)
                    {
                        await writer.WriteKeepAliveAsync(token);
                        lastWrite = clock.GetTimestamp();
                    }
                }
                lastRead = clock.GetTimestamp();
                job = await ReadAsync(store, job, settings, logger, token);
            }
            // null: the job was deleted (only a finished job can be, so its done was near); the stream just ends.
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the client left or the service is stopping
        }
    }

    /// <summary>
    /// The job as stored now, re-read lightly: status, attempt and the losses not yet known. Only a
    /// new status or attempt (or losses that started again) reads the whole job, for its status
    /// event, and never its samples. The last one read if the store does not answer (the next
    /// recheck tries again); null once the job is gone.
    /// </summary>
    private static async Task<JobRecord?> ReadAsync(IJobStore store, JobRecord last, EventsOptions settings, ILogger logger, CancellationToken token)
    {
        try
        {
            int known = last.EpochLosses.Count;
            if (await store.GetProgressAsync(last.Id, known, token) is not { } now)
            {
                return null;
            }
            if (now.Status != last.Status || now.Attempts != last.Attempts || now.LossCount != known + now.NewLosses.Count)
            {
                return await store.GetWithoutSamplesAsync(last.Id, token);
            }
            return now.NewLosses.Count == 0 ? last : last with { EpochLosses = [.. last.EpochLosses, .. now.NewLosses] };
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.EventStreamReadFailed(error, settings.RecheckInterval);
            return last;
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), [ContentType]));
}
