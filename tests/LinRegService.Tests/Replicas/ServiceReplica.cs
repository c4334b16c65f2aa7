using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LinRegService.Tests.Replicas;

/// <summary>
/// One real service process (<c>dotnet LinRegService.dll</c>) on a free loopback port, its output
/// in a log file of its own so a failing test can show what it said. Killed (SIGKILL) on dispose.
/// </summary>
public sealed class ServiceReplica : IDisposable
{
    private readonly Process _process;
    private readonly TextWriter _log;

    private ServiceReplica(string name, Process process, TextWriter log, string logPath, Uri address)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public Uri Address { get; }

    public string LogPath { get; }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the service with <paramref name="settings"/> as environment variables, working in <paramref name="directory"/>.</summary>
    public static ServiceReplica Start(string name, string directory, IReadOnlyDictionary<string, string> settings)
    {
        int port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        string logPath = Path.Combine(directory, name + ".log");
        Directory.CreateDirectory(directory);

        ProcessStartInfo start = StartInfo();
        start.WorkingDirectory = directory;
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["Auth__Mode"] = "None"; // on 127.0.0.1 only, as the tests written before keys call it; settings may say otherwise
        start.Environment["RateLimits__SubmitsPerSecond"] = "0"; // the tests flood on purpose
        start.Environment["RateLimits__ReadsPerSecond"] = "0";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key] = value;
        }

        TextWriter log = TextWriter.Synchronized(new StreamWriter(logPath) { AutoFlush = true });
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name}: {start.FileName} {start.Arguments} did not start");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceReplica(name, process, log, logPath, address);
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails with the log's tail after <paramref name="limit"/>.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        string last = "no answer";
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready.\n{Tail()}");
            }
            try
            {
                using HttpResponseMessage response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException error)
            {
                last = error.Message;
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"{Name} was not ready within {limit.TotalSeconds} s (last: {last}).\n{Tail()}");
    }

    /// <summary>SIGKILL on Linux: no shutdown, no requeue; the process's jobs stay as it left them.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
    }

    /// <summary>The last lines of the process's output.</summary>
    public string Tail(int lines = 40)
    {
        string[] all;
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            all = reader.ReadToEnd().Split('\n');
        }
        catch (IOException error)
        {
            return $"--- {Name}: log unreadable ({error.Message}) ---";
        }
        return $"--- {Name} ({Address}), last {lines} lines of {LogPath} ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        Client.Dispose();
        _process.Dispose();
        _log.Dispose();
    }

    private static void Write(TextWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        try
        {
            log.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // Output that arrives after dispose is dropped.
        }
    }

    /// <summary>
    /// <c>dotnet LinRegService.dll</c> from the test's output folder (the project reference puts it
    /// there); else <c>dotnet run --no-build</c> on the service project found above this folder.
    /// <paramref name="arguments"/> go to the service.
    /// </summary>
    internal static ProcessStartInfo StartInfo(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        string output = AppContext.BaseDirectory;
        string dll = Path.Combine(output, "LinRegService.dll");
        if (File.Exists(dll) && File.Exists(Path.Combine(output, "LinRegService.runtimeconfig.json")))
        {
            var start = new ProcessStartInfo(dotnet);
            start.ArgumentList.Add(dll);
            arguments.ToList().ForEach(start.ArgumentList.Add);
            return start;
        }
        DirectoryInfo? folder = new(output);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LinRegService.sln")))
        {
            folder = folder.Parent;
        }
        if (folder is null)
        {
            throw new InvalidOperationException($"Neither {dll} (with its runtimeconfig.json) nor LinRegService.sln above {output} was found.");
        }
        var run = new ProcessStartInfo(dotnet);
        foreach (string argument in new[] { "run", "--no-build", "--no-launch-profile", "--project", Path.Combine(folder.FullName, "src", "LinRegService"), "--" })
        {
            run.ArgumentList.Add(argument);
        }
        arguments.ToList().ForEach(run.ArgumentList.Add);
        return run;
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
