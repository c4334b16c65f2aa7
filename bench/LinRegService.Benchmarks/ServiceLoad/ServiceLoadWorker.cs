using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace LinRegService.Benchmarks.ServiceLoad;

/// <summary>
/// Load against a running service (bench/service/run starts it): the book's run turnaround from
/// POST to a visible <c>succeeded</c>, one job at a time, then the sustained throughput of many
/// clients each submitting a job and waiting for it. Prints one JSON line.
/// </summary>
internal static class ServiceLoadWorker
{
    private const string BookRun = "{}"; // every field left out: the book's run

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        var baseAddress = new Uri(values.GetValueOrDefault("url", "http://127.0.0.1:5080"));
        int turnaroundJobs = int.Parse(values.GetValueOrDefault("jobs", "1000"), CultureInfo.InvariantCulture);
        int clients = int.Parse(values.GetValueOrDefault("clients", "64"), CultureInfo.InvariantCulture);
        var poll = TimeSpan.FromMilliseconds(double.Parse(values.GetValueOrDefault("poll-ms", "20"), CultureInfo.InvariantCulture));
        var window = TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 4 }) { BaseAddress = baseAddress };
        // Warm-up: the first jobs pay for JIT and the database's first pages.
        for (int i = 0; i < 50; i++)
        {
            await RunOneAsync(http, TimeSpan.FromMilliseconds(1));
        }

        double[] turnaround = new double[turnaroundJobs];
        for (int i = 0; i < turnaroundJobs; i++)
        {
            turnaround[i] = (await RunOneAsync(http, TimeSpan.FromMilliseconds(1))).Elapsed.TotalMilliseconds;
        }
        Array.Sort(turnaround);

        // Sustained means steady state: a first stretch under the same load lets the JIT finish tiering up.
        await ThroughputAsync(http, clients, poll, TimeSpan.FromSeconds(5));
        // With --service-pid, the service's own CPU time over the window: per job, it does not move
        // with a neighbour's load on the VM as throughput does (time stolen is not the process's).
        int? servicePid = values.TryGetValue("service-pid", out string? pidText) ? int.Parse(pidText, CultureInfo.InvariantCulture) : null;
        double cpuBefore = servicePid is { } before ? ProcessCpuMs(before) : 0;
        (int completed, double seconds) = await ThroughputAsync(http, clients, poll, window);
        double cpuMsPerJob = servicePid is { } after ? (ProcessCpuMs(after) - cpuBefore) / completed : double.NaN;
        string id = (await RunOneAsync(http, TimeSpan.FromMilliseconds(1), keepId: true)).Id!;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["turnaround_jobs"] = turnaroundJobs,
            ["turnaround_p50_ms"] = Percentile(turnaround, 0.50),
            ["turnaround_p99_ms"] = Percentile(turnaround, 0.99),
            ["turnaround_max_ms"] = turnaround[^1],
            ["throughput_clients"] = clients,
            ["throughput_poll_ms"] = poll.TotalMilliseconds,
            ["throughput_jobs"] = completed,
            ["throughput_seconds"] = seconds,
            ["throughput_jobs_per_s"] = completed / seconds,
            ["service_cpu_ms_per_job"] = double.IsNaN(cpuMsPerJob) ? "unmeasured" : cpuMsPerJob,
            ["succeeded_job"] = id,
        }));
        return 0;
    }

    /// <summary>
    /// Every client submits a job, polls it until it succeeds, and goes again. The polls are spaced
    /// (20 ms by default) so that they do not take the CPU the jobs need: enough clients keep the
    /// queue from running dry.
    /// </summary>
    private static async Task<(int Completed, double Seconds)> ThroughputAsync(HttpClient http, int clients, TimeSpan poll, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        int completed = 0;
        var failures = new ConcurrentQueue<string>();
        async Task Client()
        {
            while (clock.Elapsed < window)
            {
                (TimeSpan _, string? _, string status) = await RunOneWithStatusAsync(http, poll);
                if (status == "succeeded")
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    failures.Enqueue(status);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        if (!failures.IsEmpty)
        {
            throw new InvalidOperationException($"{failures.Count} jobs did not succeed, e.g. {failures.First()}");
        }
        return (completed, clock.Elapsed.TotalSeconds);
    }

    private static async Task<(TimeSpan Elapsed, string? Id)> RunOneAsync(HttpClient http, TimeSpan poll, bool keepId = false)
    {
        (TimeSpan elapsed, string? id, string status) = await RunOneWithStatusAsync(http, poll);
        if (status != "succeeded")
        {
            throw new InvalidOperationException($"job {id} ended {status}");
        }
        return (elapsed, keepId ? id : null);
    }

    /// <summary>POSTs the book's run and polls until a final status; the time is from the POST to the answer that shows it.</summary>
    private static async Task<(TimeSpan Elapsed, string? Id, string Status)> RunOneWithStatusAsync(HttpClient http, TimeSpan poll)
    {
        var clock = Stopwatch.StartNew();
        using var content = new StringContent(BookRun, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage submitted = await http.PostAsync(new Uri("api/jobs", UriKind.Relative), content);
        submitted.EnsureSuccessStatusCode();
        using JsonDocument job = JsonDocument.Parse(await submitted.Content.ReadAsStreamAsync());
        string id = job.RootElement.GetProperty("id").GetString()!;
        var path = new Uri($"api/jobs/{id}", UriKind.Relative);
        while (true)
        {
            using JsonDocument current = (await http.GetFromJsonAsync<JsonDocument>(path))!;
            string status = current.RootElement.GetProperty("status").GetString()!;
            if (status is "succeeded" or "failed" or "canceled")
            {
                return (clock.Elapsed, id, status);
            }
            await Task.Delay(poll);
        }
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>User and system CPU time of a process so far, from <c>/proc/PID/stat</c> (clock ticks of 10 ms).</summary>
    private static double ProcessCpuMs(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }
}
