using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Events;

/// <summary>
/// A host that requires keys and lets a key hold two event streams; no workers, so a queued job's
/// stream stays open; keep-alives and rechecks ten minutes apart, so a slot comes back only when
/// the server sees the client leave or the job finish, never at a timer's write.
/// </summary>
public sealed class StreamCapFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = KeysApi.Settings(new Dictionary<string, string?>
    {
        ["Events:MaxStreamsPerKey"] = "2",
        ["Events:KeepAliveInterval"] = "00:10:00",
        ["Events:RecheckInterval"] = "00:10:00",
    });

    protected override void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) => Workers.Remove(services);
}

/// <summary>
/// <c>Events:MaxStreamsPerKey</c>: one stream more is a 429 problem; another key's streams are its
/// own; a slot comes back when a stream ends, by the client leaving or by the job finishing.
/// </summary>
public sealed class StreamCapTests(StreamCapFixture service) : IClassFixture<StreamCapFixture>
{
    [Fact]
    public async Task A_third_stream_is_a_429_until_one_ends_by_disconnect_or_by_its_job_finishing()
    {
        HttpClient alice = await UserAsync("alice");
        HttpClient bob = await UserAsync("bob");
        Job first = await alice.SubmitAsync();
        Job second = await alice.SubmitAsync();
        HttpResponseMessage one = await alice.OpenEventsAsync(first.Id);
        using HttpResponseMessage two = await alice.OpenEventsAsync(second.Id);

        using HttpResponseMessage third = await OpenRawAsync(alice, first.Id);
        JsonObject problem = await Problem.AssertAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal(2, (int?)problem["limit"]);
        Assert.True(third.Headers.Contains("Retry-After"));
        Job bobs = await bob.SubmitAsync();
        using (await bob.OpenEventsAsync(bobs.Id))
        {
            // bob's streams are counted apart from alice's
        }

        one.Dispose(); // the client leaves
        using HttpResponseMessage afterDisconnect = await OpenWhenFreeAsync(alice, first.Id);
        Assert.Equal(HttpStatusCode.OK, afterDisconnect.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await OpenRawAsync(alice, first.Id)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await alice.CancelAsync(second.Id)).StatusCode); // its stream sends done and ends
        using HttpResponseMessage afterDone = await OpenWhenFreeAsync(alice, first.Id);
        Assert.Equal(HttpStatusCode.OK, afterDone.StatusCode);
    }

    private async Task<HttpClient> UserAsync(string name)
    {
        using HttpClient admin = service.Factory.CreateClient(KeysApi.AdminSecret);
        return service.Factory.CreateClient((await admin.CreateKeyAsync(name)).Key);
    }

    private static async Task<HttpResponseMessage> OpenRawAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Opens a stream as soon as the server has released a slot; the last answer after the usual wait.</summary>
    private static async Task<HttpResponseMessage> OpenWhenFreeAsync(HttpClient client, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            HttpResponseMessage response = await OpenRawAsync(client, id);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || clock.Elapsed > JobsApi.DefaultWait)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
