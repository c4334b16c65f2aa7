using System.Globalization;

namespace LinRegService.Health;

/// <summary>
/// <c>dotnet LinRegService.dll --healthcheck [path]</c>: asks the service listening in this
/// container for <c>/health/live</c> (or <c>path</c>, e.g. <c>/health/ready</c>) and exits 0 on a
/// 2xx answer, 1 otherwise. The runtime image has no curl or wget, so the container's
/// HEALTHCHECK runs the service's own binary; no host is built, nothing else starts.
/// </summary>
internal static class HealthProbe
{
    public const string Flag = "--healthcheck";
    public const string DefaultPath = "/health/live";

    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Flag;

    /// <summary>Probes the address the server listens on, read as ASP.NET Core reads it from the environment.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        string path = args.Length > 1 ? args[1] : DefaultPath;
        Uri? server = ListenAddress(Setting("URLS"), Setting("HTTP_PORTS"));
        if (server is null)
        {
            await output.WriteLineAsync($"{Flag}: no http:// address in ASPNETCORE_URLS or port in ASPNETCORE_HTTP_PORTS to probe");
            return 1;
        }
        return await ProbeAsync(new Uri(server, path), output);
    }

    /// <summary>GETs <paramref name="url"/>; 0 on a 2xx answer within the timeout, else 1. Says what it saw either way.</summary>
    public static async Task<int> ProbeAsync(Uri url, TextWriter output)
    {
        using var client = new HttpClient { Timeout = _timeout };
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url);
            string body = await response.Content.ReadAsStringAsync();
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{url}: no answer ({error.Message})");
            return 1;
        }
    }

    /// <summary>
    /// Where the server listens, as Kestrel decides: the first http:// entry of <c>URLS</c> wins over
    /// <c>HTTP_PORTS</c>, which wins over the default port 5000. Wildcard hosts (<c>+</c>, <c>*</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) listen on loopback too, so the probe asks loopback.
    /// </summary>
    internal static Uri? ListenAddress(string? urls, string? httpPorts)
    {
        if (!string.IsNullOrWhiteSpace(urls))
        {
            string? http = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(url => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
            return http is null ? null : new Uri(Loopback(http));
        }
        string port = (httpPorts ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "5000";
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? new Uri($"http://127.0.0.1:{number}")
            : null;
    }

    private static string Loopback(string url)
    {
        int hostStart = "http://".Length;
        int hostEnd = url.IndexOf(':', url.StartsWith("http://[", StringComparison.Ordinal) ? url.IndexOf(']', hostStart) : hostStart);
        string host = hostEnd < 0 ? url[hostStart..].TrimEnd('/') : url[hostStart..hostEnd];
        string replacement = host switch
        {
            "+" or "*" or "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => host,
        };
        return string.Concat("http://", replacement, url[(hostStart + host.Length)..]);
    }

    /// <summary>A host setting as the web host reads it: <c>ASPNETCORE_</c> wins over <c>DOTNET_</c>.</summary>
    private static string? Setting(string name) =>
        Environment.GetEnvironmentVariable("ASPNETCORE_" + name) is { Length: > 0 } value
            ? value
            : Environment.GetEnvironmentVariable("DOTNET_" + name);
}
