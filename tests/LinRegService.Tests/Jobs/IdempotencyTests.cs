using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>An <c>Idempotency-Key</c> makes a retried submission return the original job.</summary>
public sealed class IdempotencyTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Same_key_and_body_twice_gives_one_job()
    {
        int before = await CountJobsAsync();
        string key = Guid.NewGuid().ToString();

        using HttpResponseMessage first = await _client.PostJsonAsync("""{ "sampleCount": 3 }""", key);
        using HttpResponseMessage second = await _client.PostJsonAsync("""{ "sampleCount": 3 }""", key);

        Job one = await first.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        Job two = await second.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        Assert.Equal(one.Id, two.Id);
        Assert.Equal($"/api/jobs/{one.Id}", second.Headers.Location?.OriginalString);
        Assert.Equal(one.Request.Dataset!.Seed, two.Request.Dataset!.Seed);
        Assert.Equal(before + 1, await CountJobsAsync());
        await _client.WaitForFinishAsync(one.Id);
    }

    [Fact]
    public async Task Spacing_and_key_order_do_not_make_a_different_body()
    {
        string key = Guid.NewGuid().ToString();

        using HttpResponseMessage first = await _client.PostJsonAsync("""{"sampleCount":2,"dataset":{"examples":100}}""", key);
        using HttpResponseMessage second = await _client.PostJsonAsync("""{ "dataset": { "examples": 100 },  "sampleCount": 2 }""", key);

        Assert.Equal((await first.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id, (await second.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id);
    }

    [Fact]
    public async Task Replay_after_the_job_finished_returns_the_finished_job()
    {
        string key = Guid.NewGuid().ToString();
        using HttpResponseMessage first = await _client.PostJsonAsync("{}", key);
        Job job = await first.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        await _client.WaitForFinishAsync(job.Id);

        using HttpResponseMessage replay = await _client.PostJsonAsync("{}", key);

        Job again = await replay.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        Assert.Equal(job.Id, again.Id);
        Assert.Equal(JobStatus.Succeeded, again.Status);
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_a_409_and_creates_nothing()
    {
        string key = Guid.NewGuid().ToString();
        using HttpResponseMessage first = await _client.PostJsonAsync("""{ "sampleCount": 4 }""", key);
        Job job = await first.ReadAsAsync<Job>(HttpStatusCode.Accepted);
        int before = await CountJobsAsync();

        using HttpResponseMessage second = await _client.PostJsonAsync("""{ "sampleCount": 5 }""", key);

        await Problem.AssertAsync(second, HttpStatusCode.Conflict);
        Assert.Equal(before, await CountJobsAsync());
        await _client.WaitForFinishAsync(job.Id);
    }

    [Fact]
    public async Task Different_keys_make_different_jobs()
    {
        using HttpResponseMessage first = await _client.PostJsonAsync("{}", Guid.NewGuid().ToString());
        using HttpResponseMessage second = await _client.PostJsonAsync("{}", Guid.NewGuid().ToString());

        Assert.NotEqual((await first.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id, (await second.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id);
    }

    [Fact]
    public async Task Overlong_key_is_a_400_naming_the_header()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync("{}", new string('k', 201));

        await Problem.AssertBadFieldsAsync(response, "Idempotency-Key");
    }

    [Fact]
    public async Task Key_of_the_safe_set_is_kept_as_sent()
    {
        const string key = "Order-42_a.b~c:d+e/f=";
        using HttpResponseMessage first = await _client.PostJsonAsync("{}", key);
        using HttpResponseMessage again = await _client.PostJsonAsync("{}", key);

        Assert.Equal((await first.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id, (await again.ReadAsAsync<Job>(HttpStatusCode.Accepted)).Id);
    }

    private async Task<int> CountJobsAsync() => (await _client.ListAsync("?limit=100")).Items.Count;
}
