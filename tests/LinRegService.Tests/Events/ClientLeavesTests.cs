using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Events;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Events;

/// <summary>A client that leaves an idle event stream (a job's or a sweep's) ends the server's watch at once, not at the next keep-alive.</summary>
/// <remarks>On <see cref="StreamCapFixture"/>'s host: no workers, and no timer's write within ten minutes that could end a stream whose client left.</remarks>
public sealed class ClientLeavesTests(StreamCapFixture service) : IClassFixture<StreamCapFixture>
{
    [Fact]
    public async Task Leaving_an_idle_stream_ends_its_watch_long_before_any_keep_alive()
    {
        using HttpClient client = service.Factory.CreateClient(KeysApi.AdminSecret);
        JobChangeFeed feed = service.Factory.Services.GetRequiredService<JobChangeFeed>();
        Job queued = await client.SubmitAsync();

        using (var limit = new CancellationTokenSource(JobsApi.DefaultWait))
        using (HttpResponseMessage response = await client.OpenEventsAsync(queued.Id, cancellationToken: limit.Token))
        {
            await using IAsyncEnumerator<JobEvent> events = JobEvents.ReadEventsAsync(response, limit.Token).GetAsyncEnumerator(limit.Token);
            Assert.True(await events.MoveNextAsync(), "the stream ended before its first event");
            Assert.Equal(JobStatus.Queued, events.Current.Job!.Status);
            Assert.Equal(1, feed.WatchCount);
        }

        await WatchesEndAsync(feed);
    }

    [Fact]
    public async Task Leaving_an_idle_sweep_stream_ends_its_watch_long_before_any_keep_alive()
    {
        using HttpClient client = service.Factory.CreateClient(KeysApi.AdminSecret);
        JobChangeFeed feed = service.Factory.Services.GetRequiredService<JobChangeFeed>();
        Sweep sweep = await client.SubmitSweepAsync("""{ "grid": { "training.seed": [1, 2] } }""");

        using (var limit = new CancellationTokenSource(JobsApi.DefaultWait))
        using (Stream stream = await client.GetStreamAsync(new Uri($"/api/sweeps/{sweep.Id}/events", UriKind.Relative), limit.Token))
        {
            await using IAsyncEnumerator<System.Net.ServerSentEvents.SseItem<string>> events =
                System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(limit.Token).GetAsyncEnumerator(limit.Token);
            Assert.True(await events.MoveNextAsync(), "the stream ended before its first event");
            Assert.Equal("sweep", events.Current.EventType);
            Assert.Equal(1, feed.WatchCount);
        }

        await WatchesEndAsync(feed);
    }

    private static async Task WatchesEndAsync(JobChangeFeed feed)
    {
        var clock = Stopwatch.StartNew();
        while (feed.WatchCount > 0)
        {
            Assert.True(clock.Elapsed < JobsApi.DefaultWait, $"{feed.WatchCount} watches left {clock.Elapsed.TotalSeconds:F1} s after the client went away");
            await Task.Delay(20);
        }
    }
}
