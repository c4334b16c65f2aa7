using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinRegService.Tests.Hosting;

/// <summary>Stopping the service puts a running job back in the queue instead of leaving it running.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Stopping_the_host_puts_a_running_job_back_to_queued()
    {
        using var directory = new TempDirectory();
        await using var factory = new ServiceFactory(directory.ConnectionString);
        HttpClient client = factory.CreateClient();
        string id = (await client.SubmitAsync(Requests.LongJob())).Id;
        await client.WaitForAsync(id, job => job.Status == JobStatus.Running && job.EpochLosses.Count >= 1, "running with an epoch done");
        Assert.Equal(("running", 1L), await JobsTable.ReadAsync(directory.ConnectionString, id));

        IHostApplicationLifetime lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        using (lifetime.ApplicationStopped.Register(() => stopped.TrySetResult()))
        {
            lifetime.StopApplication();
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }

        (string status, long attempts) = await JobsTable.ReadAsync(directory.ConnectionString, id);
        Assert.Equal("queued", status);
        Assert.Equal(0, attempts);
    }
}
