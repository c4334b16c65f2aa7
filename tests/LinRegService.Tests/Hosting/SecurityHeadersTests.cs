using System.Net;
using System.Text;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// Every answer, pages and errors alike, over Kestrel on loopback: a Content-Security-Policy with
/// no inline script and no framing, nosniff, no Referer, and no Server header.
/// </summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceFactory _factory;

    public SecurityHeadersTests()
    {
        _factory = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?> { ["Jobs:MaxRequestBytes"] = "2048" });
        _factory.UseKestrel(port: 0);
        _factory.StartServer();
    }

    public static TheoryData<string, string> Answers => new()
    {
        { "GET", "/" },
        { "GET", "/app.js" },
        { "GET", "/swagger/index.html" },
        { "GET", "/swagger/v1/swagger.json" },
        { "GET", "/api/jobs" },
        { "GET", "/api/jobs/nosuchjob" },
        { "GET", "/api/jobs?limit=many" },
        { "POST", "/api/jobs" }, // 413: a body over the limit, answered before any endpoint
        { "GET", "/health/live" },
        { "GET", "/health/ready" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_carries_the_security_headers(string method, string path)
    {
        using HttpClient client = _factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent($$"""{ "padding": "{{new string(' ', 4096)}}" }""", Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        string csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Dictionary<string, string> directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal); // Swagger UI's one inline style is allowed by its hash
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.Server)}");
        Assert.True(method == "GET" || response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
    }

    public void Dispose()
    {
        _factory.Dispose();
        _directory.Dispose();
    }
}
