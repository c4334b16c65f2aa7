using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace LinRegService.Tests.RateLimits;

/// <summary>A host that requires keys, with small budgets (a bucket holds 5 s of its rate) and no workers.</summary>
public sealed class RateLimitedFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = KeysApi.Settings(new Dictionary<string, string?>
    {
        ["RateLimits:SubmitsPerSecond"] = "1",
        ["RateLimits:ReadsPerSecond"] = "2",
    });

    protected override void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) => Workers.Remove(services);
}

/// <summary>
/// Per-key token buckets: submissions and reads spend separate budgets, one key's use leaves
/// another's alone, and a refusal is a 429 with <c>Retry-After</c> and a problem, as the document says.
/// The buckets refill on the limiter's own timer, so the tests wait on the refill, not for a fixed time.
/// </summary>
public sealed class RateLimitTests(RateLimitedFixture service) : IClassFixture<RateLimitedFixture>
{
    private const string Tiny = """{ "dataset": { "examples": 10 } }""";

    [Fact]
    public async Task A_keys_sixth_submission_in_a_burst_is_a_429_its_reads_and_another_keys_submissions_are_not()
    {
        (HttpClient alice, HttpClient bob) = (await UserAsync("alice"), await UserAsync("bob"));

        HttpStatusCode[] burst = [.. await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => (await alice.PostJsonAsync(Tiny)).StatusCode))];
        using HttpResponseMessage refused = await alice.PostJsonAsync(Tiny);

        Assert.True(burst.Count(s => s == HttpStatusCode.Accepted) is 5 or 6, string.Join(", ", burst)); // one token may refill meanwhile
        await AssertRateLimitedAsync(refused, HttpMethod.Post, "/api/jobs", "RateLimits:SubmitsPerSecond");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/jobs")).StatusCode); // the reads' own budget
        Assert.Equal(HttpStatusCode.Accepted, (await bob.PostJsonAsync(Tiny)).StatusCode); // bob's own bucket

        HttpStatusCode later = await PollAsync(() => alice.PostJsonAsync(Tiny));
        Assert.Equal(HttpStatusCode.Accepted, later); // the bucket refilled
    }

    [Fact]
    public async Task Reads_over_the_budget_are_429_with_retry_after_and_refill()
    {
        HttpClient carol = await UserAsync("carol");
        int allowed = 0;
        HttpResponseMessage response;
        while ((response = await carol.GetAsync("/api/keys/me")).StatusCode == HttpStatusCode.OK)
        {
            allowed++;
            Assert.True(allowed < 100, "no read was ever refused");
        }

        Assert.InRange(allowed, 10, 20); // the bucket (10) and what refilled while the loop ran
        await AssertRateLimitedAsync(response, HttpMethod.Get, "/api/keys/me", "RateLimits:ReadsPerSecond");
        Assert.Equal(HttpStatusCode.OK, await PollAsync(() => carol.GetAsync("/api/keys/me")));
    }

    private async Task<HttpClient> UserAsync(string name)
    {
        using HttpClient admin = service.Factory.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey key = await admin.CreateKeyAsync(name);
        return service.Factory.CreateClient(key.Key);
    }

    /// <summary>The 429 as the document declares it, naming the setting, with a whole number of seconds to wait.</summary>
    private async Task AssertRateLimitedAsync(HttpResponseMessage response, HttpMethod method, string path, string setting)
    {
        using HttpClient anonymous = service.Factory.CreateClient();
        var contract = new ResponseContract(ApiJson.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json")));
        await response.Content.LoadIntoBufferAsync();
        await contract.CheckAsync(response, method, path);
        Assert.True(contract.Differences.Count == 0, string.Join("\n", contract.Differences));
        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Contains(setting, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 5);
    }

    /// <summary>Calls until the answer is not a 429 (the bucket refilled); fails after the usual wait.</summary>
    private static async Task<HttpStatusCode> PollAsync(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await call();
            if (response.StatusCode != HttpStatusCode.TooManyRequests || clock.Elapsed > JobsApi.DefaultWait)
            {
                return response.StatusCode;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
