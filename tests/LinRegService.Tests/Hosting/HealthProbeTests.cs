using System.Diagnostics;
using LinRegService.Health;
using LinRegService.Tests.Replicas;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// <c>--healthcheck</c>, the container's HEALTHCHECK: it finds the address the server listens on,
/// and exits 0 only when the service answers 2xx there.
/// </summary>
public sealed class HealthProbeTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceFactory _factory;
    private readonly Uri _server;

    public HealthProbeTests()
    {
        _factory = new ServiceFactory(_directory.ConnectionString);
        _factory.UseKestrel(port: 0);
        _factory.StartServer();
        using HttpClient client = _factory.CreateClient();
        _server = client.BaseAddress!;
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:5000/")]
    [InlineData(null, "8080", "http://127.0.0.1:8080/")]
    [InlineData(null, "8080;9090", "http://127.0.0.1:8080/")]
    [InlineData("http://127.0.0.1:41234", "8080", "http://127.0.0.1:41234/")]
    [InlineData("http://+:8081", null, "http://127.0.0.1:8081/")]
    [InlineData("http://*:8082/", null, "http://127.0.0.1:8082/")]
    [InlineData("http://0.0.0.0:8083", null, "http://127.0.0.1:8083/")]
    [InlineData("http://[::]:8084", null, "http://[::1]:8084/")]
    [InlineData("https://+:8443;http://localhost:8085", null, "http://localhost:8085/")]
    public void Listen_address_is_read_as_kestrel_reads_it(string? urls, string? httpPorts, string expected)
    {
        Assert.Equal(new Uri(expected), HealthProbe.ListenAddress(urls, httpPorts));
    }

    [Theory]
    [InlineData("https://+:8443", null)]
    [InlineData(null, "eighty")]
    public void No_http_address_means_nothing_to_probe(string? urls, string? httpPorts)
    {
        Assert.Null(HealthProbe.ListenAddress(urls, httpPorts));
    }

    [Fact]
    public async Task Healthy_service_exits_0_and_says_so()
    {
        using var output = new StringWriter();

        int exit = await HealthProbe.ProbeAsync(new Uri(_server, HealthProbe.DefaultPath), output);

        Assert.Equal(0, exit);
        Assert.Contains("200 Healthy", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_status_exits_1()
    {
        using var output = new StringWriter();

        int exit = await HealthProbe.ProbeAsync(new Uri(_server, "/health/nothing-here"), output);

        Assert.Equal(1, exit);
        Assert.Contains("404", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_listener_exits_1()
    {
        using var output = new StringWriter();

        int exit = await HealthProbe.ProbeAsync(new Uri($"http://127.0.0.1:{ServiceReplica.FreePort()}/health/live"), output);

        Assert.Equal(1, exit);
        Assert.Contains("no answer", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_binary_with_the_flag_probes_the_address_in_its_environment()
    {
        (int healthy, string healthyOutput) = await RunProbeProcessAsync(_server.ToString().TrimEnd('/'));
        (int down, string downOutput) = await RunProbeProcessAsync($"http://127.0.0.1:{ServiceReplica.FreePort()}");

        Assert.True(healthy == 0, $"exit {healthy}: {healthyOutput}");
        Assert.Contains("200 Healthy", healthyOutput, StringComparison.Ordinal);
        Assert.True(down == 1, $"exit {down}: {downOutput}");
    }

    private static async Task<(int Exit, string Output)> RunProbeProcessAsync(string urls)
    {
        ProcessStartInfo start = ServiceReplica.StartInfo(HealthProbe.Flag);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_URLS"] = urls;
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _directory.Dispose();
    }
}
