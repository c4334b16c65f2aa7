using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary><c>/health/live</c> and <c>/health/ready</c>.</summary>
public sealed class HealthTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Live_is_200_healthy()
    {
        using HttpResponseMessage response = await _client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_is_200_healthy_once_the_workers_run()
    {
        // The workers start in the background just after the host: allow them a moment.
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        string body;
        do
        {
            using HttpResponseMessage response = await _client.GetAsync("/health/ready");
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
            if (status == HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(50);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, status);
        JsonObject report = ApiJson.Parse(body);
        Assert.Equal("Healthy", (string?)report["status"]);
        Assert.Equal(["queue", "store", "workers"], report["checks"]!.AsObject().Select(c => c.Key).Order());
        Assert.All(report["checks"]!.AsObject(), c => Assert.Equal("Healthy", (string?)c.Value!["status"]));
        Assert.Equal(Environment.ProcessorCount, (int?)report["queue"]!["workers"]);
        Assert.Equal(1000, (int?)report["queue"]!["maxQueued"]);
    }

    [Fact]
    public async Task Store_is_the_temp_file_of_this_test_class()
    {
        using HttpResponseMessage response = await _client.GetAsync("/health/ready");

        Assert.True(File.Exists(service.Directory.DatabaseFile), $"no store at {service.Directory.DatabaseFile}");
    }
}

/// <summary>A full queue keeps <c>/health/ready</c> at 200, reported as Degraded with the queue's depth and saturation.</summary>
public sealed class FullQueueHealthTests(FullQueueHealthTests.OneWorkerOnePlace service) : IClassFixture<FullQueueHealthTests.OneWorkerOnePlace>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Ready_stays_200_and_reports_a_full_queue_as_degraded()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Job waiting = await _client.SubmitAsync();
        try
        {
            using HttpResponseMessage response = await _client.GetAsync("/health/ready");
            JsonObject report = await response.ReadJsonAsync(HttpStatusCode.OK);

            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Degraded", (string?)report["status"]);
            Assert.Equal("Degraded", (string?)report["checks"]!["queue"]!["status"]);
            Assert.Equal("Healthy", (string?)report["checks"]!["store"]!["status"]);
            Assert.Equal(
                new QueueReport(Queued: 1, Running: 1, Workers: 1, MaxQueued: 1, Saturation: 1.0),
                ApiJson.Read<QueueReport>(report["queue"]!.ToJsonString()));
        }
        finally
        {
            (await _client.CancelAsync(waiting.Id)).Dispose();
            (await _client.CancelAsync(running.Id)).Dispose();
        }
        await _client.WaitForFinishAsync(running.Id);
        using HttpResponseMessage after = await _client.GetAsync("/health/ready");
        JsonObject idle = await after.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", (string?)idle["status"]);
        Assert.Equal(0.0, (double?)idle["queue"]!["saturation"]);
    }

    /// <summary>One worker and one place in the queue.</summary>
    public sealed class OneWorkerOnePlace : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:MaxQueued"] = "1",
        };
    }
}
