using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace LinRegService.Tests.Support;

/// <summary>
/// The real service on a test server, pointed at a given SQLite file, with extra settings.
/// Settings go in through <c>UseSetting</c>, so Program.cs sees them before the host is built
/// (the store reads its connection string while services are registered).
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public ServiceFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings;
        // The service never redirects, and the redirect handler copies a request's whole body before it
        // sends it: a streamed, broken or canceled body would never reach the server as a real client's does.
        ClientOptions.AllowAutoRedirect = false;
    }

    /// <summary>Settings every test host gets unless overridden: quiet logs, idle workers that look often.</summary>
    private static readonly Dictionary<string, string?> _defaults = new()
    {
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Jobs:PollInterval"] = "00:00:00.200",
        // Calls without a key, as the tests written before keys make; the keys' own tests set ApiKeys.
        ["Auth:Mode"] = "None",
        // Tests flood on purpose; the rate limits' own tests set a budget.
        ["RateLimits:SubmitsPerSecond"] = "0",
        ["RateLimits:ReadsPerSecond"] = "0",
    };

    /// <summary>Replaces services of the real app (e.g. its <see cref="TimeProvider"/> with a fake clock), after the app registered its own.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (TestServices is { } replace)
        {
            builder.ConfigureTestServices(replace);
        }
        builder.UseSetting("ConnectionStrings:Jobs", _connectionString);
        foreach ((string key, string? value) in _defaults)
        {
            if (_settings is null || !_settings.ContainsKey(key))
            {
                builder.UseSetting(key, value);
            }
        }
        foreach ((string key, string? value) in _settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
