using System.Diagnostics;
using System.Net;
using System.Text;
using LinRegService.Contracts;

namespace LinRegService.Tests.Support;

/// <summary>The sweep endpoints as a client calls them, with a bounded wait for a sweep to end.</summary>
public static class SweepsApi
{
    public static async Task<HttpResponseMessage> PostSweepAsync(this HttpClient client, string json) =>
        await client.PostAsync("/api/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits a sweep and insists on 202; returns the sweep as answered.</summary>
    public static async Task<Sweep> SubmitSweepAsync(this HttpClient client, string json)
    {
        using HttpResponseMessage response = await client.PostSweepAsync(json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST sweep {json} answered {(int)response.StatusCode}: {body}");
        Assert.Equal($"/api/sweeps/{ApiJson.Read<Sweep>(body).Id}", response.Headers.Location?.OriginalString);
        return ApiJson.Read<Sweep>(body);
    }

    public static async Task<Sweep> GetSweepAsync(this HttpClient client, string id)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/sweeps/{id}");
        return await response.ReadAsAsync<Sweep>(HttpStatusCode.OK);
    }

    /// <summary>Polls until every job of the sweep has ended.</summary>
    public static async Task<Sweep> WaitForSweepAsync(this HttpClient client, string id, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? JobsApi.DefaultWait;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Sweep sweep = await client.GetSweepAsync(id);
            if (sweep.Status is SweepStatus.Finished or SweepStatus.Canceled)
            {
                return sweep;
            }
            Assert.True(clock.Elapsed < limit, $"sweep {id} did not end within {limit.TotalSeconds} s: {sweep.Progress}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
