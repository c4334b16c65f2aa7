using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;

namespace LinRegService.Tests.Support;

/// <summary>The job endpoints as a client calls them, with bounded waits for a job to get somewhere.</summary>
public static class JobsApi
{
    /// <summary>Longest a test waits for a job to reach a status.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan _pollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>POSTs raw JSON to /api/jobs.</summary>
    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Submits a job and insists on 202; returns the job as answered.</summary>
    public static async Task<Job> SubmitAsync(this HttpClient client, string json = "{}")
    {
        using HttpResponseMessage response = await client.PostJsonAsync(json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST {json} answered {(int)response.StatusCode}: {body}");
        return ApiJson.Read<Job>(body);
    }

    public static async Task<Job> GetJobAsync(this HttpClient client, string id)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/jobs/{id}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET job {id} answered {(int)response.StatusCode}: {body}");
        return ApiJson.Read<Job>(body);
    }

    /// <summary>The job's raw JSON (for assertions on the contract's exact names and values).</summary>
    public static async Task<JsonObject> GetJobJsonAsync(this HttpClient client, string id)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/jobs/{id}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET job {id} answered {(int)response.StatusCode}: {body}");
        return ApiJson.Parse(body);
    }

    public static async Task<JobList> ListAsync(this HttpClient client, string query = "")
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/jobs{query}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/jobs{query} answered {(int)response.StatusCode}: {body}");
        return ApiJson.Read<JobList>(body);
    }

    public static Task<HttpResponseMessage> CancelAsync(this HttpClient client, string id) =>
        client.PostAsync($"/api/jobs/{id}/cancel", content: null);

    /// <summary>Polls until the job is finished (succeeded, failed or canceled); fails with the last JSON after <paramref name="timeout"/>.</summary>
    public static Task<Job> WaitForFinishAsync(this HttpClient client, string id, TimeSpan? timeout = null) =>
        client.WaitForAsync(id, job => job.Status.IsFinished(), "a final status", timeout);

    /// <summary>Polls until the job has <paramref name="status"/>; fails with the last JSON after <paramref name="timeout"/>.</summary>
    public static Task<Job> WaitForStatusAsync(this HttpClient client, string id, JobStatus status, TimeSpan? timeout = null) =>
        client.WaitForAsync(id, job => job.Status == status, $"status {status}", timeout);

    /// <summary>Polls until <paramref name="done"/> holds; fails with the last JSON after <paramref name="timeout"/>.</summary>
    public static async Task<Job> WaitForAsync(this HttpClient client, string id, Func<Job, bool> done, string what, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? DefaultWait;
        var clock = Stopwatch.StartNew();
        string last = "";
        while (true)
        {
            using HttpResponseMessage response = await client.GetAsync($"/api/jobs/{id}");
            last = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET job {id} answered {(int)response.StatusCode}: {last}");
            Job job = ApiJson.Read<Job>(last);
            if (done(job))
            {
                return job;
            }
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Job {id} did not reach {what} within {limit.TotalSeconds} s; last: {last}");
            }
            await Task.Delay(_pollEvery);
        }
    }

    /// <summary>Reads a response body as JSON, insisting on <paramref name="status"/> first.</summary>
    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return ApiJson.Parse(body);
    }

    /// <summary>Reads a response body as <typeparamref name="T"/>, insisting on <paramref name="status"/> first.</summary>
    public static async Task<T> ReadAsAsync<T>(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        T? value = await response.Content.ReadFromJsonAsync<T>(ApiJson.Options);
        return value ?? throw new InvalidOperationException($"null {typeof(T).Name}: {body}");
    }
}
