using System.Net;
using System.Net.Sockets;
using System.Text;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// Errors that routing or the server produce before any endpoint still come as problem bodies,
/// over a real Kestrel socket: a wrong method, an overlong URI, oversized headers.
/// </summary>
public sealed class PipelineErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public PipelineErrorTests()
    {
        _factory = new ServiceFactory(_directory.ConnectionString);
        _factory.UseKestrel(port: 0);
        _factory.StartServer();
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task A_method_the_route_does_not_take_is_a_405_problem()
    {
        using HttpResponseMessage response = await _client.PutAsync("/api/jobs", new StringContent("{}"));

        await Problem.AssertAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_overlong_uri_is_a_414_problem()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs?cursor=" + new string('a', 9000));

        await Problem.AssertAsync(response, HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task Oversized_headers_are_a_431_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Add("X-Padding", new string('p', 40_000));

        using HttpResponseMessage response = await _client.SendAsync(request);

        await Problem.AssertAsync(response, (HttpStatusCode)431);
    }

    [Fact]
    public async Task The_server_sends_no_server_header()
    {
        using HttpResponseMessage response = await _client.GetAsync("/health/live");

        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_malformed_request_kestrel_rejects_is_still_answered_and_the_service_keeps_serving()
    {
        // Kestrel refuses a bad Content-Length before any middleware runs (an empty 400, see
        // docs/contract.md); what matters is that it answers and the next request works.
        Uri address = _client.BaseAddress!;
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(address.Host, address.Port);
            NetworkStream stream = socket.GetStream();
            byte[] bad = Encoding.ASCII.GetBytes($"POST /api/jobs HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Length: abc\r\n\r\n");
            await stream.WriteAsync(bad);
            var buffer = new byte[4096];
            int read = await stream.ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        using HttpResponseMessage response = await _client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _directory.Dispose();
    }
}
