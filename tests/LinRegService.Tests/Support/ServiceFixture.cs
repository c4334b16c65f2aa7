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
        _factory = new Lazy<ServiceFactory>(() => new ServiceFactory(Directory.ConnectionString, Settings));
    }

    public TempDirectory Directory { get; }

    public ServiceFactory Factory => _factory.Value;

    /// <summary>Settings of this fixture's host, on top of <see cref="ServiceFactory"/>'s defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public HttpClient CreateClient() => Factory.CreateClient();

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

/// <summary>One worker, so a long job keeps later ones queued.</summary>
public sealed class SingleWorkerFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Workers"] = "1",
    };
}
