using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace LinRegService.Tests.Quotas;

/// <summary>
/// A key's quotas: active jobs counted in the same step as the insert (a flood passes none), the
/// per-job sizes (413) and the stored bytes (429), each refusal naming the quota, limit and use.
/// The hosts have no workers, so nothing a test queues leaves the queue.
/// </summary>
public sealed class QuotaTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Submissions = 50;
    private const int MaxActive = 5;

    private readonly TempDirectory _directory = new();

    [Fact]
    public Task Fifty_submissions_at_once_on_sqlite_accept_exactly_the_keys_five() =>
        FloodAsync(new ServiceFactory(_directory.ConnectionString, KeysApi.Settings()));

    [PostgresFact]
    public Task Fifty_submissions_at_once_on_two_postgres_replicas_accept_exactly_the_keys_five() =>
        FloodAsync(
            new ServiceFactory(database.ConnectionString, KeysApi.Settings(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" })),
            new ServiceFactory(database.ConnectionString, KeysApi.Settings(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" })));

    [Theory]
    [InlineData("""{ "dataset": { "examples": 1001 } }""", "maxJobValues", 2000, 2002)]
    [InlineData("""{ "dataset": { "examples": 100 }, "training": { "epochs": 11 } }""", "maxJobWork", 2000, 2200)]
    public async Task A_job_over_a_per_job_quota_is_a_413_naming_it(string body, string quota, long limit, long used)
    {
        using ServiceFactory host = new(_directory.ConnectionString, KeysApi.Settings());
        using HttpClient admin = host.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey key = await admin.CreateKeyAsync("small", quotas: new ApiKeyQuotaOverrides { MaxJobValues = 2000, MaxJobWork = 2000 });
        using HttpClient client = host.CreateClient(key.Key);

        using HttpResponseMessage response = await client.PostJsonAsync(body);

        AssertQuota(await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge), quota, limit, used);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("""{ "dataset": { "examples": 100 }, "training": { "epochs": 10 } }""")).StatusCode);
    }

    [Fact]
    public async Task A_key_whose_stored_jobs_would_pass_max_stored_bytes_gets_a_429_and_me_shows_the_same_use()
    {
        using ServiceFactory host = NoWorkers(new ServiceFactory(_directory.ConnectionString, KeysApi.Settings()), out WebApplicationFactory<Program> service);
        using HttpClient admin = service.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey key = await admin.CreateKeyAsync("thrifty", quotas: new ApiKeyQuotaOverrides { MaxStoredBytes = 3000 });
        using HttpClient client = service.CreateClient(key.Key);

        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        while (refused is null && answers.Count < 20)
        {
            HttpResponseMessage response = await client.PostJsonAsync("{}");
            answers.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.Accepted ? null : response;
        }

        Assert.NotNull(refused);
        JsonObject problem = await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        CallerInfo me = await (await client.GetAsync("/api/keys/me")).ReadAsAsync<CallerInfo>(HttpStatusCode.OK);
        AssertQuota(problem, "maxStoredBytes", 3000, me.Usage.StoredBytes);
        Assert.InRange(me.Usage.StoredBytes, 1, 3000);
        Assert.True(answers.Count > 1, "the first job alone already passed the quota");
        service.Dispose();
    }

    [Fact]
    public async Task A_job_that_alone_passes_max_stored_bytes_is_a_413_and_nothing_is_stored()
    {
        using ServiceFactory host = NoWorkers(new ServiceFactory(_directory.ConnectionString, KeysApi.Settings()), out WebApplicationFactory<Program> service);
        using HttpClient admin = service.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey key = await admin.CreateKeyAsync("tiny", quotas: new ApiKeyQuotaOverrides { MaxStoredBytes = 1000 });
        using HttpClient client = service.CreateClient(key.Key);

        // The book's run with 100 sample rows stores several KB: no deletion could ever make room for it.
        using HttpResponseMessage response = await client.PostJsonAsync("""{ "sampleCount": 100 }""");

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("maxStoredBytes", (string?)problem["quota"]);
        Assert.Equal(1000, (long)problem["limit"]!);
        Assert.True((long)problem["used"]! > 1000, problem.ToJsonString());
        Assert.Empty((await client.ListAsync("?limit=100")).Items);
        service.Dispose();
    }

    private static async Task FloodAsync(params ServiceFactory[] hosts)
    {
        WebApplicationFactory<Program>[] replicas = [.. hosts.Select(h => h.WithWebHostBuilder(web => web.ConfigureTestServices(Workers.Remove)))];
        try
        {
            using HttpClient admin = replicas[0].CreateClient(KeysApi.AdminSecret);
            CreatedApiKey key = await admin.CreateKeyAsync("flood", quotas: new ApiKeyQuotaOverrides { MaxActiveJobs = MaxActive });
            HttpClient[] clients = [.. replicas.Select(r => r.CreateClient(key.Key))];
            (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(Enumerable.Range(0, Submissions).Select(i => Task.Run(async () =>
            {
                using HttpResponseMessage response = await clients[i % clients.Length].PostJsonAsync("{}");
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            })));

            Assert.Equal(MaxActive, answers.Count(a => a.Status == HttpStatusCode.Accepted));
            Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a =>
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
                AssertQuota(ApiJson.Parse(a.Body), "maxActiveJobs", MaxActive, MaxActive);
            });
            Assert.Equal(MaxActive, (await clients[^1].ListAsync("?limit=100")).Items.Count);
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            foreach (WebApplicationFactory<Program> replica in replicas)
            {
                replica.Dispose();
            }
            foreach (ServiceFactory host in hosts)
            {
                host.Dispose();
            }
        }
    }

    private static ServiceFactory NoWorkers(ServiceFactory host, out WebApplicationFactory<Program> service)
    {
        service = host.WithWebHostBuilder(web => web.ConfigureTestServices(Workers.Remove));
        return host;
    }

    private static void AssertQuota(JsonObject problem, string quota, long limit, long used)
    {
        Assert.Equal(quota, (string?)problem["quota"]);
        Assert.Equal(limit, (long?)problem["limit"]);
        Assert.Equal(used, (long?)problem["used"]);
    }

    public void Dispose() => _directory.Dispose();
}
