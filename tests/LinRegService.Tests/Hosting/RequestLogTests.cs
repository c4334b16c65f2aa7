using System.Net;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// The request log records the status the client got, and a client's mistake is not an error:
/// a 400 body once logged "responded 500" at Error with a stack trace.
/// </summary>
public sealed class RequestLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LogCapture _log = new();
    private readonly ServiceFactory _factory;
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _service;

    public RequestLogTests()
    {
        _factory = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information",
        });
        _service = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(_log)));
    }

    [Theory]
    [InlineData("""{"dataset":[]}""")]
    [InlineData("""{"dataset":{"bias":"x"}}""")]
    [InlineData("null")]
    public async Task A_bad_body_is_logged_as_the_400_it_got_without_an_error(string body)
    {
        using HttpClient client = _service.CreateClient();

        using HttpResponseMessage response = await client.PostJsonAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        LogEvent line = await _log.RequestLineAsync("/api/jobs");
        Assert.Equal("400", line.Properties["StatusCode"].ToString());
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Null(line.Exception);
        Assert.DoesNotContain(_log.Events, e => e.Level >= LogEventLevel.Error || e.Exception is not null);
    }

    [Theory]
    [InlineData(400, null, LogEventLevel.Information)]
    [InlineData(404, null, LogEventLevel.Information)]
    [InlineData(429, null, LogEventLevel.Information)]
    [InlineData(503, null, LogEventLevel.Warning)]
    [InlineData(500, null, LogEventLevel.Error)]
    [InlineData(200, "boom", LogEventLevel.Error)]
    public void Level_follows_whose_fault_it_is(int status, string? error, LogEventLevel expected)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;

        LogEventLevel level = LinRegService.Hosting.Logging.LevelOf(context, 1, error is null ? null : new InvalidOperationException(error));

        Assert.Equal(expected, level);
    }

    public void Dispose()
    {
        _service.Dispose();
        _factory.Dispose();
        _directory.Dispose();
    }
}
