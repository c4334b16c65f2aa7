using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LinRegService.Benchmarks.ServiceLoad;

/// <summary>
/// Sweeps against a running service (bench/sweeps/run starts it): a 64-job sweep of book runs
/// from POST to its event stream's <c>done</c>, several times, then the time to draw its
/// comparison plots (each asked for without an ETag, so every request renders). Prints one JSON line.
/// </summary>
internal static class SweepLoadWorker
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        var baseAddress = new Uri(values.GetValueOrDefault("url", "http://127.0.0.1:5080"));
        int runs = int.Parse(values.GetValueOrDefault("runs", "7"), CultureInfo.InvariantCulture);
        int draws = int.Parse(values.GetValueOrDefault("draws", "20"), CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

        // 64 book runs: the book's data and settings, eight learning rates × eight batch sizes.
        const string sweep = """
            { "base": { "dataset": { "seed": 42 }, "training": { "seed": 7 } },
              "grid": { "training.learningRate": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
                        "training.batchSize": [1, 2, 5, 10, 20, 50, 100, 200] } }
            """;
        await RunSweepAsync(http, sweep); // warm-up: JIT, the database's first pages
        var endToEnd = new List<double>();
        string id = "";
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            id = await RunSweepAsync(http, sweep);
            endToEnd.Add(clock.Elapsed.TotalMilliseconds);
        }
        var plots = new Dictionary<string, object>();
        foreach (string plot in new[] { "losses.svg", "losses.png", "final.svg?x=training.learningRate", "final.png?x=training.learningRate" })
        {
            var times = new List<double>();
            for (int i = 0; i < draws + 2; i++)
            {
                var clock = Stopwatch.StartNew();
                using HttpResponseMessage response = await http.GetAsync(new Uri($"/api/sweeps/{id}/plots/{plot}", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                if (i >= 2)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds); // the first two warm the renderer up
                }
            }
            times.Sort();
            plots[plot] = new { median_ms = times[times.Count / 2], max_ms = times[^1] };
        }
        endToEnd.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sweep_jobs"] = 64,
            ["sweep_runs"] = runs,
            ["sweep_end_to_end_median_ms"] = endToEnd[endToEnd.Count / 2],
            ["sweep_end_to_end_max_ms"] = endToEnd[^1],
            ["plots"] = plots,
            ["sweep"] = id,
        }));
        return 0;
    }

    /// <summary>Submits the sweep and reads its event stream until <c>done</c>; returns its id.</summary>
    private static async Task<string> RunSweepAsync(HttpClient http, string body)
    {
        using HttpResponseMessage submitted = await http.PostAsync(new Uri("/api/sweeps", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        string answer = await submitted.Content.ReadAsStringAsync();
        if (!submitted.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/sweeps answered {(int)submitted.StatusCode}: {answer}");
        }
        string id = JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString()!;
        await using Stream stream = await http.GetStreamAsync(new Uri($"/api/sweeps/{id}/events", UriKind.Relative));
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line == "event: done")
            {
                return id;
            }
        }
        throw new InvalidOperationException($"the event stream of sweep {id} ended without done");
    }
}
