using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c>: there only when <c>Telemetry:PrometheusEndpoint</c> is true (and telemetry is
/// on), an admin's with keys, never rate-limited, and not part of the JSON contract's document.
/// </summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Off_by_default_it_is_not_there()
    {
        using var service = new ServiceFactory(_directory.ConnectionString);
        using HttpClient client = service.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task With_telemetry_off_the_endpoint_setting_maps_nothing()
    {
        using var service = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?>
        {
            ["Telemetry:Enabled"] = "false",
            ["Telemetry:PrometheusEndpoint"] = "true",
        });
        using HttpClient client = service.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // The service itself works as before.
        Job job = await client.SubmitAsync();
        Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(job.Id)).Status);
    }

    [Fact]
    public async Task With_keys_only_an_admin_key_reads_it()
    {
        using var service = new ServiceFactory(_directory.ConnectionString, KeysApi.Settings(new Dictionary<string, string?>
        {
            ["Telemetry:PrometheusEndpoint"] = "true",
            // A budget of one call, spent on making the user's key: the scrapes below are not counted.
            ["RateLimits:ReadsPerSecond"] = "0.001",
        }));
        using HttpClient admin = service.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey user = await admin.CreateKeyAsync("metrics-user");

        using HttpClient anonymous = service.CreateClient(secret: null);
        using (HttpResponseMessage response = await anonymous.GetAsync("/metrics"))
        {
            await KeysApi.AssertUnauthorizedAsync(response);
        }
        using HttpClient userClient = service.CreateClient(user.Key);
        using (HttpResponseMessage response = await userClient.GetAsync("/metrics"))
        {
            await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        }
        for (int scrape = 0; scrape < 3; scrape++)
        {
            using HttpResponseMessage response = await admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            string text = await response.Content.ReadAsStringAsync();
            foreach (string metric in new[]
            {
                "linreg_queue_depth", "linreg_jobs_running", "linreg_replica_workers", "linreg_replica_running_jobs", "linreg_event_streams_open",
                "linreg_lease_lost_total", "linreg_jobs_reclaimed_total", "linreg_jobs_attempts_exhausted_total",
            })
            {
                Assert.True(PrometheusText.Has(text, metric), $"/metrics has no {metric}:\n{text}");
            }
        }
        using (HttpResponseMessage limited = await admin.GetAsync("/api/jobs"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode); // the limiter is on, for /api
        }
    }

    [Fact]
    public async Task The_document_leaves_it_out()
    {
        using var service = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?> { ["Telemetry:PrometheusEndpoint"] = "true" });
        using HttpClient client = service.CreateClient();
        JsonNode document = (await client.GetFromJsonAsync<JsonNode>("/swagger/v1/swagger.json"))!;
        Assert.Null(document["paths"]!["/metrics"]);
        using HttpResponseMessage metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode); // Auth:Mode None: the local user is the admin
    }

    public void Dispose() => _directory.Dispose();
}
