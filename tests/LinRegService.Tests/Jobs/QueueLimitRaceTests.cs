using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// A flood of submissions at once never passes <c>Jobs:MaxQueued</c>: the store counts and adds
/// in one step. The hosts have no workers, so nothing leaves the queue meanwhile.
/// </summary>
public sealed class QueueLimitRaceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Submissions = 50;
    private const int MaxQueued = 5;

    private static readonly Dictionary<string, string?> _settings = new() { ["Jobs:MaxQueued"] = $"{MaxQueued}" };

    private readonly TempDirectory _directory = new();

    [Fact]
    public Task Fifty_submissions_at_once_on_sqlite_queue_exactly_five() =>
        FloodAsync(new ServiceFactory(_directory.ConnectionString, _settings));

    [PostgresFact]
    public Task Fifty_submissions_at_once_on_two_postgres_replicas_queue_exactly_five() =>
        FloodAsync(
            new ServiceFactory(database.ConnectionString, new Dictionary<string, string?>(_settings) { ["Storage:Provider"] = "postgres" }),
            new ServiceFactory(database.ConnectionString, new Dictionary<string, string?>(_settings) { ["Storage:Provider"] = "postgres" }));

    private static async Task FloodAsync(params ServiceFactory[] hosts)
    {
        WebApplicationFactory<Program>[] replicas = [.. hosts.Select(h => h.WithWebHostBuilder(web => web.ConfigureTestServices(Workers.Remove)))];
        try
        {
            HttpClient[] clients = [.. replicas.Select(r => r.CreateClient())];
            HttpStatusCode[] answers = await Task.WhenAll(Enumerable.Range(0, Submissions).Select(i => Task.Run(async () =>
            {
                using HttpResponseMessage response = await clients[i % clients.Length].PostJsonAsync("{}");
                return response.StatusCode;
            })));

            Assert.Equal(MaxQueued, answers.Count(a => a == HttpStatusCode.Accepted));
            Assert.Equal(Submissions - MaxQueued, answers.Count(a => a == HttpStatusCode.ServiceUnavailable));
            Assert.Equal(MaxQueued, (await clients[0].ListAsync("?status=queued&limit=100")).Items.Count);
            Assert.All((await clients[^1].ListAsync("?limit=100")).Items, job => Assert.Equal(JobStatus.Queued, job.Status));
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

    public void Dispose() => _directory.Dispose();
}
