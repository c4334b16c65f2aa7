using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsvHelper;
using nietras.SeparatedValues;

namespace LinRegService.Benchmarks.ServiceLoad;

/// <summary>
/// CSV uploads (bench/datasets/run starts the service): generates a CSV of rows × (features + 1)
/// random values to a temp file, POSTs it streamed from the file to <c>/api/datasets</c> several
/// times (each a new dataset: the first value differs), and reports MB/s of CSV and the service's
/// peak RSS above its idle RSS (VmHWM after resetting it through /proc/&lt;pid&gt;/clear_refs, and the
/// highest VmRSS sampled every 10 ms). <c>csv-parse</c> compares the two CSV libraries on the same
/// file, in process: each parses every value to float32. Prints one JSON line.
/// </summary>
internal static class DatasetUploadWorker
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        Dictionary<string, string> values = Options(args);
        int rows = int.Parse(values.GetValueOrDefault("rows", "1000000"), CultureInfo.InvariantCulture);
        int features = int.Parse(values.GetValueOrDefault("features", "16"), CultureInfo.InvariantCulture);
        int runs = int.Parse(values.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
        int pid = int.Parse(values.GetValueOrDefault("pid", "0"), CultureInfo.InvariantCulture);
        var baseAddress = new Uri(values.GetValueOrDefault("url", "http://127.0.0.1:5099"));
        string file = Path.Combine(Path.GetTempPath(), $"linreg-upload-{Environment.ProcessId}.csv");
        try
        {
            long csvBytes = Generate(file, rows, features, seed: 1);
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
            await UploadAsync(http, Generate(Path.ChangeExtension(file, ".warm.csv"), 1000, features, seed: 2) > 0 ? Path.ChangeExtension(file, ".warm.csv") : file);
            File.Delete(Path.ChangeExtension(file, ".warm.csv"));
            GC.Collect();
            await Task.Delay(1000); // let the service settle after the warm-up
            var seconds = new List<double>();
            var peaks = new List<long>();
            var sampledPeaks = new List<long>();
            long idle = 0;
            for (int run = 0; run < runs; run++)
            {
                Rewrite(file, run); // another first value: another dataset, not the dedupe's 200
                idle = pid > 0 ? Status(pid, "VmRSS:") : 0;
                if (pid > 0)
                {
                    await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5"); // resets VmHWM to the current RSS
                }
                using var sampling = new CancellationTokenSource();
                long sampled = idle;
                Task sampler = pid > 0 ? Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        sampled = Math.Max(sampled, Status(pid, "VmRSS:"));
                        await Task.Delay(10);
                    }
                }) : Task.CompletedTask;
                var clock = Stopwatch.StartNew();
                string answer = await UploadAsync(http, file);
                seconds.Add(clock.Elapsed.TotalSeconds);
                await sampling.CancelAsync();
                await sampler;
                if (pid > 0)
                {
                    peaks.Add(Status(pid, "VmHWM:") - idle);
                    sampledPeaks.Add(sampled - idle);
                }
                using JsonDocument dataset = JsonDocument.Parse(answer);
                string id = dataset.RootElement.GetProperty("id").GetString()!;
                (await http.DeleteAsync(new Uri($"/api/datasets/{id}", UriKind.Relative))).EnsureSuccessStatusCode();
            }
            double median = seconds.Order().ElementAt(seconds.Count / 2);
            long stored = (long)rows * (features + 1) * sizeof(float);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                rows,
                features,
                csvMB = Math.Round(csvBytes / 1e6, 1),
                storedMB = Math.Round(stored / 1e6, 1),
                runs,
                seconds = seconds.Select(s => Math.Round(s, 2)),
                medianMBps = Math.Round(csvBytes / 1e6 / median, 1),
                idleRssMB = Math.Round(idle / 1e6, 1),
                peakRssDeltaMB = peaks.Select(p => Math.Round(p / 1e6, 1)),
                sampledRssDeltaMB = sampledPeaks.Select(p => Math.Round(p / 1e6, 1)),
                peakOverStored = peaks.Count > 0 ? Math.Round((double)peaks.Max() / stored, 2) : 0,
            }));
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Sep against CsvHelper on one generated file, in process, each reading every value as float32: MB/s, median of 3.</summary>
    public static int CompareParsers(IReadOnlyList<string> args)
    {
        Dictionary<string, string> values = Options(args);
        int rows = int.Parse(values.GetValueOrDefault("rows", "1000000"), CultureInfo.InvariantCulture);
        int features = int.Parse(values.GetValueOrDefault("features", "16"), CultureInfo.InvariantCulture);
        string file = Path.Combine(Path.GetTempPath(), $"linreg-parse-{Environment.ProcessId}.csv");
        try
        {
            long bytes = Generate(file, rows, features, seed: 3);
            double Measure(Func<string, double> parse)
            {
                parse(file); // warm-up
                var times = new List<double>();
                double check = 0;
                for (int i = 0; i < 3; i++)
                {
                    var clock = Stopwatch.StartNew();
                    check = parse(file);
                    times.Add(clock.Elapsed.TotalSeconds);
                }
                GC.KeepAlive(check);
                return Math.Round(bytes / 1e6 / times.Order().ElementAt(1), 1);
            }
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                rows,
                features,
                csvMB = Math.Round(bytes / 1e6, 1),
                sepMBps = Measure(SepSum),
                csvHelperMBps = Measure(CsvHelperSum),
            }));
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double SepSum(string file)
    {
        using SepReader reader = Sep.Reader(o => o with { HasHeader = false, CultureInfo = CultureInfo.InvariantCulture, Trim = SepTrim.Outer, Unescape = true }).FromFile(file);
        double sum = 0;
        bool header = true;
        foreach (SepReader.Row row in reader)
        {
            if (header)
            {
                header = false;
                continue;
            }
            for (int c = 0; c < row.ColCount; c++)
            {
                sum += row[c].Parse<float>();
            }
        }
        return sum;
    }

    private static double CsvHelperSum(string file)
    {
        using CsvReader reader = CsvReader.FromFile(file, new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            TrimWhitespace = true,
            FormatProvider = CultureInfo.InvariantCulture,
        });
        double sum = 0;
        bool header = true;
        while (reader.Read())
        {
            if (header)
            {
                header = false;
                continue;
            }
            for (int c = 0; c < reader.FieldCount; c++)
            {
                sum += reader.Parse<float>(c);
            }
        }
        return sum;
    }

    private static async Task<string> UploadAsync(HttpClient http, string file)
    {
        await using FileStream csv = File.OpenRead(file);
        using var content = new StreamContent(csv, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using HttpResponseMessage response = await http.PostAsync(new Uri("/api/datasets?name=bench", UriKind.Relative), content);
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }

    /// <summary>A header and rows of values in [-10, 10) with three decimals; returns the file's size.</summary>
    private static long Generate(string file, int rows, int features, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', Enumerable.Range(1, features).Select(i => $"x{i}")));
        writer.Write(",y\n");
        var line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int c = 0; c <= features; c++)
            {
                line.Append(((random.NextDouble() * 20) - 10).ToString("F3", CultureInfo.InvariantCulture)).Append(c == features ? '\n' : ',');
            }
            writer.Write(line);
        }
        writer.Flush();
        return writer.BaseStream.Length;
    }

    /// <summary>Overwrites the first value (the first data row's first digits) with the run's number, keeping the length.</summary>
    private static void Rewrite(string file, int run)
    {
        using FileStream stream = File.Open(file, FileMode.Open, FileAccess.ReadWrite);
        byte[] head = new byte[4096];
        int read = stream.Read(head);
        int start = Array.IndexOf(head, (byte)'\n', 0, read) + 1;
        int end = Array.IndexOf(head, (byte)',', start, read - start);
        byte[] value = Encoding.ASCII.GetBytes(run.ToString(CultureInfo.InvariantCulture).PadLeft(end - start, '0'));
        stream.Position = start;
        stream.Write(value);
    }

    private static long Status(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    private static Dictionary<string, string> Options(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return values;
    }
}
