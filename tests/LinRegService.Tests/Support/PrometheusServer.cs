using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace LinRegService.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) on a free loopback port with a throwaway
/// config and data folder, scraping one target every second; queried through its own HTTP API.
/// Killed on dispose.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Variable = "LINREG_TEST_PROMETHEUS";

    public const string SkipReason = "Prometheus is not installed: no prometheus on PATH "
        + "(install Debian's prometheus package, as .ci/run does, or set " + Variable + " to its path)";

    private readonly Process _process;
    private readonly string _logPath;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, string logPath, Uri address)
    {
        _process = process;
        _logPath = logPath;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The server's binary: <c>LINREG_TEST_PROMETHEUS</c>, else <c>prometheus</c> on PATH; null when there is none.</summary>
    public static string? Executable
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
            {
                return given;
            }
            return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "prometheus"))
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> with <paramref name="bearer"/>, with <paramref name="rulesFile"/>'s rules loaded.</summary>
    public static async Task<PrometheusServer> StartAsync(string directory, Uri target, string bearer, string? rulesFile)
    {
        string executable = Executable ?? throw new InvalidOperationException(SkipReason);
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "prometheus.yml");
        string rules = rulesFile is null ? "" : $"rule_files: [\"{rulesFile}\"]\n";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {rules}scrape_configs:
              - job_name: linregservice
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials: "{bearer}"
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        int port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (string argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }
        string logPath = Path.Combine(directory, "prometheus.log");
        TextWriter log = TextWriter.Synchronized(new StreamWriter(logPath) { AutoFlush = true });
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => log.WriteLine(line.Data);
        process.ErrorDataReceived += (_, line) => log.WriteLine(line.Data);
        process.Exited += (_, _) => log.Flush();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, logPath, new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>An instant query's vector: each series' labels and value (empty when nothing matches).</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        JsonNode answer = (await _client.GetFromJsonAsync<JsonNode>("/api/v1/query?query=" + Uri.EscapeDataString(promql)))!;
        Assert.True(answer["status"]?.GetValue<string>() == "success", $"Prometheus refused {promql}: {answer.ToJsonString()}");
        JsonNode data = answer["data"]!;
        if (data["resultType"]!.GetValue<string>() == "scalar")
        {
            return [([], Number(data["result"]![1]!))];
        }
        return [.. data["result"]!.AsArray().Select(series => (
            series!["metric"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            Number(series["value"]![1]!)))];
    }

    /// <summary>The value of a query that answers one series (or none: null).</summary>
    public async Task<double?> ValueAsync(string promql) => (await QueryAsync(promql)) switch
    {
        [] => null,
        [var one] => one.Value,
        var many => throw new InvalidOperationException($"{promql} answered {many.Count} series"),
    };

    /// <summary>Polls <paramref name="promql"/> until its value is <paramref name="expected"/>: scrapes come every second.</summary>
    public async Task WaitForValueAsync(string promql, double expected, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        double? last = null;
        while (clock.Elapsed < limit)
        {
            last = await ValueAsync(promql);
            if (last == expected)
            {
                return;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"{promql} was {last?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, not {expected}, after {limit.TotalSeconds} s.\n{Tail()}");
    }

    public string Tail() => File.Exists(_logPath) ? "--- prometheus log ---\n" + string.Join('\n', ReadShared(_logPath).Split('\n').TakeLast(20)) : "";

    private async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode}.\n{Tail()}");
            }
            try
            {
                using HttpResponseMessage ready = await _client.GetAsync("/-/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"Prometheus was not ready within {limit.TotalSeconds} s.\n{Tail()}");
    }

    private static double Number(JsonNode value) => double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
        _client.Dispose();
    }
}

/// <summary>A fact that needs a Prometheus server: reported as skipped, naming what is missing, when none is installed.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.Executable is null)
        {
            Skip = PrometheusServer.SkipReason;
        }
    }
}
