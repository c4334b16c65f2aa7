namespace LinRegService.Tests.Support;

/// <summary>
/// One service per test class (an <see cref="IClassFixture{TFixture}"/>): its own temp SQLite
/// file and its own settings. Derive and override <see cref="Settings"/> for other settings.
/// </summary>
public class ServiceFixture : IDisposable
{
    private readonly Lazy<ServiceFactory> _factory;

    public ServiceFixture()
    {
        Directory = new TempDirectory();
        _factory = new Lazy<ServiceFactory>(() => new ServiceFactory(Directory.ConnectionString, Settings) { TestServices = ConfigureTestServices });
    }

    public TempDirectory Directory { get; }

    public ServiceFactory Factory => _factory.Value;

    /// <summary>Settings of this fixture's host, on top of <see cref="ServiceFactory"/>'s defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public HttpClient CreateClient() => Factory.CreateClient();

    /// <summary>Replaces services of this fixture's host; nothing by default.</summary>
    protected virtual void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A host whose clock is a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> that moves only when a
/// test advances it: retention and runtime limits are tested without waiting for them.
/// </summary>
public class FakeClockFixture : ServiceFixture
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, Clock);
}

/// <summary>One worker, so a long job keeps later ones queued.</summary>
public sealed class SingleWorkerFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Workers"] = "1",
    };
}
