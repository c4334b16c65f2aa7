using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// The book's run over a real loopback socket (Kestrel, not the in-memory test server), with a
/// plain HttpClient as any other service would use.
/// </summary>
public sealed class RealSocketTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceFactory _factory;

    public RealSocketTests()
    {
        _factory = new ServiceFactory(_directory.ConnectionString);
        _factory.UseKestrel(port: 0);
        _factory.StartServer();
    }

    [Fact]
    public async Task Book_run_over_kestrel_on_loopback()
    {
        using HttpClient client = _factory.CreateClient();
        Assert.True(client.BaseAddress is { IsLoopback: true }, $"expected a loopback address, got {client.BaseAddress}");
        Assert.NotEqual(80, client.BaseAddress!.Port);

        using HttpResponseMessage submitted = await client.PostAsJsonAsync("/api/jobs", new { });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Uri location = submitted.Headers.Location!;

        JsonNode? job = null;
        for (int i = 0; i < 150 && job?["status"]?.GetValue<string>() != "succeeded"; i++)
        {
            await Task.Delay(100);
            job = await client.GetFromJsonAsync<JsonNode>(location);
        }
        Assert.Equal("succeeded", job?["status"]?.GetValue<string>());
        JsonArray weights = job!["result"]!["weights"]!.AsArray();
        Assert.InRange(weights[0]!.GetValue<double>(), 1.99, 2.01);
        Assert.InRange(weights[1]!.GetValue<double>(), -3.41, -3.39);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _directory.Dispose();
    }
}
