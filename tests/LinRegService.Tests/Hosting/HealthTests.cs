using System.Diagnostics;
using System.Net;
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
        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task Store_is_the_temp_file_of_this_test_class()
    {
        using HttpResponseMessage response = await _client.GetAsync("/health/ready");

        Assert.True(File.Exists(service.Directory.DatabaseFile), $"no store at {service.Directory.DatabaseFile}");
    }
}
