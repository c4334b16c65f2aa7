using System.Collections.Concurrent;
using LinRegService.Client;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Client.Tests.Support;

/// <summary>
/// The typed client registered as another service registers it (<c>AddLinRegServiceClient</c>),
/// its requests going to the test server in memory, each one's path and query noted.
/// </summary>
public sealed class TestClient : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ConcurrentQueue<string> _sent = new();

    public TestClient(ServiceFactory service)
    {
        var services = new ServiceCollection();
        services.AddLinRegServiceClient(service.Server.BaseAddress, options =>
            {
                options.FirstPollInterval = TimeSpan.FromMilliseconds(20);
                options.MaxPollInterval = TimeSpan.FromMilliseconds(200);
            })
            .AddHttpMessageHandler(() => new RequestLog(_sent))
            .ConfigurePrimaryHttpMessageHandler(() => service.Server.CreateHandler());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Client = _services.GetRequiredService<ILinRegServiceClient>();
    }

    public ILinRegServiceClient Client { get; }

    /// <summary>Path and query of every request sent so far, in order (e.g. <c>/api/jobs?limit=3</c>).</summary>
    public IReadOnlyList<string> Sent => [.. _sent];

    public void Dispose() => _services.Dispose();

    /// <summary>A handler added through the client's builder, as callers add their own.</summary>
    private sealed class RequestLog(ConcurrentQueue<string> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Enqueue(request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
