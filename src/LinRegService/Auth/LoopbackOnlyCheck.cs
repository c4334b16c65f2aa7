using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LinRegService.Auth;

/// <summary>
/// Refuses to start with <c>Auth:Mode</c> <c>None</c> on an address other machines can reach: first
/// from the configured addresses, before the server listens, then from the addresses it did bind.
/// A test server has no addresses and passes (it is in-process).
/// </summary>
internal sealed class LoopbackOnlyCheck(IOptions<AuthOptions> auth, IConfiguration configuration, IServer server) : IHostedLifecycleService
{
    private static readonly string[] _portSettings = ["http_ports", "https_ports"];

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Check(ConfiguredUrls());
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        Check(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check(IEnumerable<string> urls)
    {
        if (auth.Value.Mode != AuthMode.None)
        {
            return;
        }
        if (urls.FirstOrDefault(url => !LoopbackAddresses.IsLoopbackUrl(url)) is { } open)
        {
            throw new InvalidOperationException(
                $"Auth:Mode is None, which lets any caller act as admin without a key, but the service would listen on {open}, "
                + "which other machines can reach. Listen on loopback addresses only (localhost, 127.0.0.1 or [::1], e.g. "
                + "--urls http://127.0.0.1:5080), or set Auth:Mode to ApiKeys (docs/security.md).");
        }
    }

    /// <summary>Kestrel's precedence: its endpoints, else <c>urls</c>, else the port settings, which bind every interface.</summary>
    private IEnumerable<string> ConfiguredUrls()
    {
        string[] endpoints = [.. configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0)];
        if (endpoints.Length > 0)
        {
            return endpoints;
        }
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return _portSettings
            .Select(key => configuration[key])
            .OfType<string>()
            .SelectMany(ports => ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(port => $"http://*:{port}");
    }
}
