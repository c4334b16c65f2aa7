using System.Diagnostics;
using System.Net;
using System.Text;
using LinRegService.Contracts;
using LinRegService.Events;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Events;

/// <summary>One worker and a short keep-alive, so a job can be held queued behind a long one and its idle stream observed.</summary>
public sealed class EventStreamFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Workers"] = "1",
        ["Events:KeepAliveInterval"] = "00:00:00.200",
    };
}

/// <summary><c>GET /api/jobs/{id}/events</c> on SQLite: the events of DESIGN.md in order, keep-alives, replay, disconnects.</summary>
public sealed class EventStreamTests(EventStreamFixture service) : IClassFixture<EventStreamFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Book_run_streams_status_then_each_epoch_then_succeeded_and_done()
    {
        Job submitted = await _client.SubmitAsync();

        List<JobEvent> events = await _client.ReadAllEventsAsync(submitted.Id);
        Job final = await _client.GetJobAsync(submitted.Id);
        string seen = JobEvents.Describe(events);

        Assert.True(events.Count >= 5, seen);
        Assert.Equal(JobEventNames.Status, events[0].Name);
        Assert.Equal(submitted.Id, events[0].Job!.Id);
        Assert.All(events.Where(e => e.Name == JobEventNames.Status), e => Assert.Null(e.Job!.Samples));
        Assert.Equal([1, 2, 3], events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Epoch));
        Assert.Equal(final.EpochLosses, events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Loss));
        Assert.Equal(new JobEvent(JobEventNames.Done, Done: new DoneEvent(submitted.Id, JobStatus.Succeeded)), events[^1]);
        // The final status comes after the epochs that led to it, unless the job had finished before the stream began.
        JobEvent lastStatus = events.Last(e => e.Name == JobEventNames.Status);
        Assert.Equal(JobStatus.Succeeded, lastStatus.Job!.Status);
        Assert.Equal(final.Result!.Weights, lastStatus.Job.Result!.Weights);
        Assert.True(ReferenceEquals(lastStatus, events[0]) || ReferenceEquals(lastStatus, events[^2]), seen);
        // Statuses only move forward, each sent once. (A read may skip one: the book's run can go from
        // queued to succeeded between two reads, and then "running" is never seen.)
        JobStatus[] statuses = [.. events.Where(e => e.Name == JobEventNames.Status).Select(e => e.Job!.Status)];
        Assert.True(statuses.Zip(statuses.Skip(1)).All(p => p.First < p.Second), seen);
    }

    [Fact]
    public async Task Epochs_of_a_longer_run_arrive_while_it_runs_numbered_from_1()
    {
        Job submitted = await _client.SubmitAsync(Requests.LongJob(examples: 1_000_000, features: 8, epochs: 25));

        using var limit = new CancellationTokenSource(JobsApi.DefaultWait);
        using HttpResponseMessage response = await _client.OpenEventsAsync(submitted.Id, cancellationToken: limit.Token);
        var events = new List<JobEvent>();
        DateTimeOffset? firstEpochAt = null;
        await foreach (JobEvent item in JobEvents.ReadEventsAsync(response, limit.Token))
        {
            events.Add(item);
            if (item.Name == JobEventNames.Epoch && item.Epoch!.Epoch == 1)
            {
                firstEpochAt = DateTimeOffset.UtcNow;
            }
        }
        Job finished = await _client.GetJobAsync(submitted.Id);

        Assert.Equal(Enumerable.Range(1, 25), events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Epoch));
        Assert.Equal(JobStatus.Succeeded, events[^1].Done!.Status);
        // The first epoch reached the client before the job finished: the stream is live, not a replay.
        Assert.True(firstEpochAt < finished.FinishedAt, $"epoch 1 arrived at {firstEpochAt:O}, the job finished at {finished.FinishedAt:O}");
    }

    [Fact]
    public async Task A_finished_job_replays_at_once_and_Last_Event_ID_skips_the_epochs_already_seen()
    {
        Job submitted = await _client.SubmitAsync();
        await _client.WaitForFinishAsync(submitted.Id);

        List<JobEvent> all = await _client.ReadAllEventsAsync(submitted.Id, TimeSpan.FromSeconds(5));
        List<JobEvent> resumed = await _client.ReadAllEventsAsync(submitted.Id, TimeSpan.FromSeconds(5), lastEventId: "2");

        Assert.Equal(["status", "epoch", "epoch", "epoch", "done"], all.Select(e => e.Name));
        Assert.Equal(JobStatus.Succeeded, all[0].Job!.Status);
        Assert.Equal(["status", "epoch", "done"], resumed.Select(e => e.Name));
        Assert.Equal(3, resumed[1].Epoch!.Epoch);
    }

    [Fact]
    public async Task Unknown_job_is_a_404_problem()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs/nosuchjob/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nosuchjob", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_stream_gets_keep_alives_a_client_leaving_ends_its_watch_and_a_cancel_ends_in_done()
    {
        JobChangeFeed feed = service.Factory.Services.GetRequiredService<JobChangeFeed>();
        Job blocker = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(blocker.Id, JobStatus.Running);
        Job queued = await _client.SubmitAsync(); // waits behind the blocker: its stream has nothing to say
        try
        {
            using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            using (HttpResponseMessage response = await _client.OpenEventsAsync(queued.Id, cancellationToken: limit.Token))
            {
                string text = await ReadUntilAsync(response, ": keep-alive\n\n", limit.Token);
                Assert.StartsWith("event: status\n", text, StringComparison.Ordinal);
                Assert.Contains("\"status\":\"queued\"", text, StringComparison.Ordinal);
                Assert.Equal(1, feed.WatchCount);
            }
            await WaitUntilAsync(() => feed.WatchCount == 0, TimeSpan.FromSeconds(5), () => $"{feed.WatchCount} watches left after the client went away");

            using var watching = new CancellationTokenSource(JobsApi.DefaultWait);
            Task<List<JobEvent>> stream = _client.ReadAllEventsAsync(blocker.Id);
            await WaitUntilAsync(() => feed.WatchCount == 1, TimeSpan.FromSeconds(5), () => "the stream never started watching");
            using HttpResponseMessage canceled = await _client.CancelAsync(blocker.Id);
            Assert.Equal(HttpStatusCode.Accepted, canceled.StatusCode);
            List<JobEvent> events = await stream;

            Assert.Equal(JobStatus.Running, events[0].Job!.Status);
            Assert.Equal(JobStatus.Canceled, events[^2].Job!.Status);
            Assert.Equal(JobStatus.Canceled, events[^1].Done!.Status);
            await WaitUntilAsync(() => feed.WatchCount == 0, TimeSpan.FromSeconds(5), () => "the finished stream left its watch behind");
        }
        finally
        {
            await _client.CancelAsync(queued.Id);
            await _client.CancelAsync(blocker.Id);
            await _client.WaitForFinishAsync(blocker.Id);
        }
    }

    /// <summary>Reads raw text until <paramref name="marker"/> (comments are what SseParser skips, so this reads bytes).</summary>
    private static async Task<string> ReadUntilAsync(HttpResponseMessage response, string marker, CancellationToken cancellationToken)
    {
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int read = await body.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, $"the stream ended before '{marker.Trim()}': {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, failure());
            await Task.Delay(20);
        }
    }
}
