using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Telemetry;

/// <summary>
/// OTLP export set by the standard variables alone: a host given <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (and <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>) posts its traces and metrics to that
/// address, as an OpenTelemetry collector would receive them.
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task The_standard_variables_send_traces_and_metrics_over_otlp()
    {
        int port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentDictionary<string, string>(); // path → content type
        using var stop = new CancellationTokenSource();
        Task listening = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
                {
                    return; // stopped
                }
                received[context.Request.Url!.AbsolutePath] = context.Request.ContentType ?? "";
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        using var service = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        using HttpClient client = service.CreateClient();
        Job job = await client.SubmitAsync();
        Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(job.Id)).Status);

        var clock = Stopwatch.StartNew();
        while (!(received.ContainsKey("/v1/traces") && received.ContainsKey("/v1/metrics")) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        Assert.True(received.ContainsKey("/v1/traces") && received.ContainsKey("/v1/metrics"),
            $"the collector received only: {string.Join(", ", received.Keys)}");
        Assert.Equal("application/x-protobuf", received["/v1/traces"]);
        Assert.Equal("application/x-protobuf", received["/v1/metrics"]);

        await stop.CancelAsync();
        collector.Stop();
        await listening;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _directory.Dispose();
}
