using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Identity;

/// <summary>A host that requires keys, with one admin and fresh user keys per test.</summary>
public sealed class KeyedServiceFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = KeysApi.Settings();

    public HttpClient Admin() => Factory.CreateClient(KeysApi.AdminSecret);

    /// <summary>A new user key and a client that sends it.</summary>
    public async Task<(CreatedApiKey Key, HttpClient Client)> UserAsync(string name, ApiKeyQuotaOverrides? quotas = null)
    {
        using HttpClient admin = Admin();
        CreatedApiKey key = await admin.CreateKeyAsync(name, quotas: quotas);
        return (key, Factory.CreateClient(key.Key));
    }
}

/// <summary>
/// What belongs to a key: its jobs in lists (admins choose an owner with <c>?owner=</c>), its
/// idempotency keys, the jobs it may continue, and its usage.
/// </summary>
public sealed class OwnershipTests(KeyedServiceFixture service) : IClassFixture<KeyedServiceFixture>
{
    private const string BookRun = """{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""";

    [Fact]
    public async Task An_admin_lists_one_keys_jobs_with_owner_and_a_user_never_lists_another_keys()
    {
        (CreatedApiKey alice, HttpClient aliceClient) = await service.UserAsync("alice");
        (CreatedApiKey bob, HttpClient bobClient) = await service.UserAsync("bob");
        using HttpClient admin = service.Admin();
        Job alices = await aliceClient.SubmitAsync(BookRun);
        Job bobs = await bobClient.SubmitAsync(BookRun);

        JobList onlyAlice = await admin.ListAsync($"?owner={alice.Id}&limit=100");
        JobList all = await admin.ListAsync("?limit=100");
        JobList bobAskingForAlice = await bobClient.ListAsync($"?owner={alice.Id}");
        JobList bobsOwn = await bobClient.ListAsync($"?owner={bob.Id}");

        Assert.Equal([alices.Id], onlyAlice.Items.Select(j => j.Id));
        Assert.Contains(alices.Id, all.Items.Select(j => j.Id));
        Assert.Contains(bobs.Id, all.Items.Select(j => j.Id));
        Assert.Empty(bobAskingForAlice.Items);
        Assert.Equal([bobs.Id], bobsOwn.Items.Select(j => j.Id));
        aliceClient.Dispose();
        bobClient.Dispose();
    }

    [Fact]
    public async Task The_same_idempotency_key_from_two_keys_makes_two_jobs_and_replays_each_ones_own()
    {
        (_, HttpClient alice) = await service.UserAsync("alice");
        (_, HttpClient bob) = await service.UserAsync("bob");

        using HttpResponseMessage first = await alice.PostJsonAsync(BookRun, idempotencyKey: "shared-key");
        using HttpResponseMessage other = await bob.PostJsonAsync("""{ "sampleCount": 3 }""", idempotencyKey: "shared-key");
        using HttpResponseMessage again = await alice.PostJsonAsync(BookRun, idempotencyKey: "shared-key");

        Job alices = await first.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        Job bobs = await other.ReadAsAsync<Job>(HttpStatusCode.Accepted); // not a 409: bob's key space is his own
        Assert.NotEqual(alices.Id, bobs.Id);
        Assert.Equal(alices.Id, (await again.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id);
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task A_warm_start_from_another_keys_job_reads_as_no_such_job()
    {
        (_, HttpClient alice) = await service.UserAsync("alice");
        (_, HttpClient bob) = await service.UserAsync("bob");
        Job alices = await alice.SubmitAsync(BookRun);
        Assert.Equal(JobStatus.Succeeded, (await alice.WaitForFinishAsync(alices.Id)).Status);

        using HttpResponseMessage stolen = await bob.PostJsonAsync($$"""{ "training": { "warmStartFrom": "{{alices.Id}}" } }""");
        using HttpResponseMessage own = await alice.PostJsonAsync($$"""{ "training": { "warmStartFrom": "{{alices.Id}}" } }""");

        JsonObject problem = await Problem.AssertBadFieldsAsync(stolen, "training.warmStartFrom");
        Assert.Equal($"No job has the id '{alices.Id}'.", (string?)problem["errors"]!["training.warmStartFrom"]![0]);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task Me_counts_the_callers_own_jobs_and_shows_its_quotas()
    {
        (CreatedApiKey carol, HttpClient client) = await service.UserAsync("carol", new ApiKeyQuotaOverrides { MaxActiveJobs = 3 });
        Job job = await client.SubmitAsync(BookRun);
        await client.WaitForFinishAsync(job.Id);
        (_, HttpClient other) = await service.UserAsync("dave");
        await other.SubmitAsync(BookRun);

        using HttpResponseMessage response = await client.GetAsync("/api/keys/me");
        CallerInfo me = await response.ReadAsAsync<CallerInfo>(HttpStatusCode.OK);

        Assert.Equal(carol.Id, me.Key!.Id);
        Assert.Equal(ApiKeyRole.User, me.Role);
        Assert.Equal(new ApiKeyQuotas(3, 268_435_456, 1L << 40, 1L << 30), me.Quotas);
        Assert.Equal(1, me.Usage.StoredJobs);
        Assert.Equal(0, me.Usage.ActiveJobs);
        Assert.InRange(me.Usage.StoredBytes, 500, 100_000); // the request, the result and ten sample rows as JSON
        client.Dispose();
        other.Dispose();
    }
}
