using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Support;

/// <summary>A test class that talks to its fixture's service through the typed client (a fresh registration per test).</summary>
public abstract class ClientTests(ServiceFixture service) : IDisposable
{
    private readonly TestClient _linReg = new(service.Factory);

    protected ILinRegServiceClient Client => _linReg.Client;

    /// <summary>Path and query of every request this test's client sent, in order.</summary>
    protected IReadOnlyList<string> Sent => _linReg.Sent;

    public void Dispose()
    {
        _linReg.Dispose();
        GC.SuppressFinalize(this);
    }
}
