using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>Several hosts in one process (as these tests run them) start side by side, each on its own store.</summary>
public sealed class ManyHostsTests
{
    [Fact]
    public async Task Two_hosts_at_once_both_answer_and_keep_their_own_jobs()
    {
        using var firstDirectory = new TempDirectory();
        using var secondDirectory = new TempDirectory();
        await using var first = new ServiceFactory(firstDirectory.ConnectionString);
        await using var second = new ServiceFactory(secondDirectory.ConnectionString);

        HttpClient[] clients = await Task.WhenAll(Task.Run(first.CreateClient), Task.Run(second.CreateClient));
        HttpResponseMessage[] live = await Task.WhenAll(clients.Select(c => c.GetAsync("/health/live")));

        foreach (HttpResponseMessage response in live)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            response.Dispose();
        }
        Job job = await clients[0].SubmitAsync("""{ "sampleCount": 0 }""");
        Assert.Equal([job.Id], (await clients[0].ListAsync()).Items.Select(j => j.Id));
        Assert.Empty((await clients[1].ListAsync()).Items);
        Assert.True(File.Exists(firstDirectory.DatabaseFile));
        Assert.True(File.Exists(secondDirectory.DatabaseFile));
        await clients[0].WaitForFinishAsync(job.Id);
    }
}
