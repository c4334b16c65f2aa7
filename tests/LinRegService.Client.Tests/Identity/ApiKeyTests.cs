using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Client.Tests.Identity;

/// <summary>The real service requiring keys (<c>Auth:Mode</c> ApiKeys), with an admin key of the settings.</summary>
public sealed class KeyedServiceFixture : ServiceFixture
{
    public const string AdminKey = "client-test-admin-key-0123456789";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:Mode"] = "ApiKeys",
        ["Auth:AdminKey"] = AdminKey,
    };
}

/// <summary>
/// <see cref="LinRegServiceClientOptions.ApiKey"/>: sent as a Bearer header on every call (the
/// event stream included), never in a URL; a missing or unknown key is a 401 exception, another
/// key's job a 404, as for any caller.
/// </summary>
public sealed class ApiKeyTests(KeyedServiceFixture service) : IClassFixture<KeyedServiceFixture>
{
    private readonly ConcurrentQueue<HttpRequestMessage> _sent = new();

    [Fact]
    public async Task A_client_with_a_key_submits_waits_and_watches_with_the_key_in_the_header_only()
    {
        string key = await NewUserKeyAsync("client");
        using ServiceProvider services = ClientWith(key);
        ILinRegServiceClient client = services.GetRequiredService<ILinRegServiceClient>();

        Job job = await client.SubmitAsync(new JobRequest());
        List<JobEvent> events = [];
        await foreach (JobEvent e in client.WatchAsync(job.Id))
        {
            events.Add(e);
        }
        Job done = await client.WaitAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(JobEventNames.Done, events[^1].Name);
        Assert.True(_sent.Count >= 3);
        Assert.All(_sent, request =>
        {
            Assert.Equal(new AuthenticationHeaderValue("Bearer", key), request.Headers.Authorization);
            Assert.DoesNotContain(key, request.RequestUri!.ToString(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("lrs_not-a-key-the-service-made")]
    public async Task No_key_or_an_unknown_one_is_a_401_exception(string? key)
    {
        using ServiceProvider services = ClientWith(key);

        var error = await Assert.ThrowsAsync<LinRegServiceException>(
            () => services.GetRequiredService<ILinRegServiceClient>().SubmitAsync(new JobRequest()));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("An API key is needed", error.Title);
    }

    [Fact]
    public async Task Another_keys_job_is_a_404_exception_like_a_missing_one()
    {
        using ServiceProvider owner = ClientWith(await NewUserKeyAsync("owner"));
        using ServiceProvider other = ClientWith(await NewUserKeyAsync("other"));
        Job job = await owner.GetRequiredService<ILinRegServiceClient>().SubmitAsync(new JobRequest { SampleCount = 0 });

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => other.GetRequiredService<ILinRegServiceClient>().GetAsync(job.Id));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal($"No job has the id '{job.Id}'.", error.Detail);
    }

    private ServiceProvider ClientWith(string? key)
    {
        var services = new ServiceCollection();
        services.AddLinRegServiceClient(service.Factory.Server.BaseAddress, options => options.ApiKey = key)
            .AddHttpMessageHandler(() => new Recorder(_sent))
            .ConfigurePrimaryHttpMessageHandler(() => service.Factory.Server.CreateHandler());
        return services.BuildServiceProvider();
    }

    private async Task<string> NewUserKeyAsync(string name)
    {
        using HttpClient admin = service.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedServiceFixture.AdminKey);
        using HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keys", new { name, role = "user" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedApiKey>(ContractJson.Options))!.Key;
    }

    /// <summary>Keeps each request as it leaves, after the client set its headers.</summary>
    private sealed class Recorder(ConcurrentQueue<HttpRequestMessage> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Enqueue(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
