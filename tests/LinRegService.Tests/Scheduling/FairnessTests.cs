using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Scheduling;

/// <summary>
/// Round-robin across owners: with one worker, key A's hundred queued long jobs and key B's one
/// book run, B's job is the next to start when the worker frees, before A's second-oldest job.
/// </summary>
public sealed class FairnessTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const string BookRun = """{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""";

    private static readonly Dictionary<string, string?> _settings = KeysApi.Settings(new Dictionary<string, string?> { ["Jobs:Workers"] = "1" });

    private readonly TempDirectory _directory = new();

    [Fact]
    public Task On_sqlite_another_keys_job_starts_before_the_flooding_keys_second() =>
        FloodThenBookRunAsync(new ServiceFactory(_directory.ConnectionString, _settings));

    [PostgresFact]
    public Task On_postgres_another_keys_job_starts_before_the_flooding_keys_second() =>
        FloodThenBookRunAsync(new ServiceFactory(database.ConnectionString, new Dictionary<string, string?>(_settings) { ["Storage:Provider"] = "postgres" }));

    private static async Task FloodThenBookRunAsync(ServiceFactory host)
    {
        using ServiceFactory owned = host;
        using HttpClient admin = host.CreateClient(KeysApi.AdminSecret);
        using HttpClient a = host.CreateClient((await admin.CreateKeyAsync("a", quotas: new ApiKeyQuotaOverrides { MaxActiveJobs = 200 })).Key);
        using HttpClient b = host.CreateClient((await admin.CreateKeyAsync("b")).Key);
        var flood = new List<Job>();
        for (int i = 0; i < 100; i++)
        {
            flood.Add(await a.SubmitAsync(Requests.LongJob(examples: 200_000, epochs: 1000)));
        }
        await a.WaitForStatusAsync(flood[0].Id, JobStatus.Running);
        Job bs = await b.SubmitAsync(BookRun);

        Assert.Equal(HttpStatusCode.Accepted, (await a.CancelAsync(flood[0].Id)).StatusCode); // the worker frees
        Job done = await b.WaitForFinishAsync(bs.Id);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Job second = await a.GetJobAsync(flood[1].Id);
        Assert.True(second.StartedAt is null || second.StartedAt >= done.StartedAt,
            $"A's second job started at {second.StartedAt:O}, B's at {done.StartedAt:O}");
        Assert.All((await a.ListAsync("?status=queued&limit=100")).Items, job => Assert.NotEqual(flood[0].Id, job.Id));
        Assert.True((await a.ListAsync("?status=queued&limit=100")).Items.Count >= 97, "A's jobs should still wait their turns");
    }

    public void Dispose() => _directory.Dispose();
}
