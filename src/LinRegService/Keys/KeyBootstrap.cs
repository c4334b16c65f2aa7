using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LinRegService.Keys;

/// <summary>
/// At start, after the migrations: the store is brought in line with <c>Auth:AdminKey</c>; then,
/// with keys required and no admin key anywhere, one is made, only its hash stored, and its
/// secret printed once, as Jupyter prints its token: to the console itself, never through the
/// logger, with a dashboard link that carries it in the URL fragment (which browsers do not send).
/// </summary>
internal sealed class KeyBootstrap(
    IKeyStore store, IOptions<AuthOptions> auth, IServer server, BootstrapConsole console, TimeProvider clock, ILogger<KeyBootstrap> logger)
    : IHostedLifecycleService
{
    private string? _madeSecret;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        AuthOptions settings = auth.Value;
        DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        ApiKeyRecord? configured = string.IsNullOrEmpty(settings.AdminKey) ? null : Record(settings.AdminKey, ApiKeyOrigin.Config, now);
        await store.SyncConfiguredAdminAsync(configured, now, cancellationToken);
        if (settings.Mode != AuthMode.ApiKeys || configured is not null)
        {
            return;
        }
        string secret = ApiKeySecrets.NewSecret();
        ApiKeyRecord candidate = Record(secret, ApiKeyOrigin.Bootstrap, now);
        if (await store.AddIfNoAdminAsync(candidate, cancellationToken))
        {
            _madeSecret = secret;
            logger.AdminKeyBootstrapped(candidate.Id);
        }
    }

    /// <summary>Printed once the server listens, so the link has its address.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_madeSecret is not { } secret)
        {
            return Task.CompletedTask;
        }
        _madeSecret = null;
        IEnumerable<string> roots = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(Browsable);
        TextWriter output = console.Out;
        output.WriteLine();
        output.WriteLine("    An admin API key was made for this service. It is shown only this once (the service keeps its hash):");
        output.WriteLine();
        output.WriteLine($"        {secret}");
        output.WriteLine();
        foreach (string root in roots)
        {
            output.WriteLine($"    Dashboard with the key: {root}/#key={secret}");
            output.WriteLine($"    curl: curl -H 'Authorization: Bearer {secret}' {root}/api/keys/me");
        }
        output.WriteLine("    Make user keys with POST /api/keys; set Auth:AdminKey to choose the admin secret yourself.");
        output.WriteLine();
        output.Flush();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static ApiKeyRecord Record(string secret, ApiKeyOrigin origin, DateTimeOffset now)
    {
        string hash = ApiKeySecrets.HashText(secret);
        return new ApiKeyRecord
        {
            Id = origin == ApiKeyOrigin.Config ? ApiKeySecrets.ConfiguredId(hash) : ApiKeySecrets.NewId(),
            Name = origin == ApiKeyOrigin.Config ? "Auth:AdminKey" : "first-start admin",
            Role = ApiKeyRole.Admin,
            SecretHash = hash,
            Origin = origin,
            CreatedAt = now,
        };
    }

    /// <summary>A wildcard address (<c>http://[::]:8080</c>, <c>http://+:80</c>) as one a browser on this machine can open.</summary>
    private static string Browsable(string address)
    {
        string root = address.TrimEnd('/');
        foreach (string wildcard in new[] { "://[::]", "://0.0.0.0", "://+", "://*" })
        {
            root = root.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }
        return root;
    }
}

/// <summary>Where the bootstrap key is printed: the process's console (replaced in tests to read it).</summary>
internal sealed class BootstrapConsole
{
    public TextWriter Out { get; init; } = Console.Out;
}
