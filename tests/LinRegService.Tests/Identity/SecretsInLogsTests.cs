using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace LinRegService.Tests.Identity;

/// <summary>
/// With every log level on, a session of key management and use logs no secret anywhere (messages,
/// properties, request paths and queries), every request line made with a key names the key's
/// id, and making and revoking keys are audit events.
/// </summary>
public sealed class SecretsInLogsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LogCapture _log = new();

    [Fact]
    public async Task No_secret_reaches_a_log_line_or_a_url_and_each_request_line_names_its_key()
    {
        using var factory = new ServiceFactory(_directory.ConnectionString, KeysApi.Settings(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
        }));
        using WebApplicationFactory<Program> service = factory.WithWebHostBuilder(web =>
            web.ConfigureServices(services => services.AddSingleton<ILogEventSink>(_log)));
        using HttpClient admin = service.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey user = await admin.CreateKeyAsync("logged user");
        using HttpClient userClient = service.CreateClient(user.Key);
        const string wrongSecret = "lrs_wrongwrongwrongwrongwrongwrongwrongwrongw";
        using HttpClient wrong = service.CreateClient(wrongSecret);

        Job job = await userClient.SubmitAsync();
        await userClient.WaitForFinishAsync(job.Id);
        await userClient.ReadAllEventsAsync(job.Id);
        (await wrong.GetAsync("/api/jobs")).Dispose();
        await admin.RevokeKeyAsync(user.Id);
        using (HttpResponseMessage revoked = await userClient.GetAsync($"/api/jobs/{job.Id}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }
        await _log.RequestLineAsync($"/api/jobs/{job.Id}", status: 401); // the last call's line is written after its answer; the polls' lines came before
        List<LogEvent> requestLines = [.. _log.Events.Where(e => e.MessageTemplate.Text.StartsWith("HTTP {RequestMethod}", StringComparison.Ordinal))];
        LogEvent userLine = Assert.Single(requestLines, e => Path(e) == $"/api/jobs/{job.Id}/events");
        LogEvent revokeLine = Assert.Single(requestLines, e => Path(e) == $"/api/keys/{user.Id}");

        string[] secrets = [KeysApi.AdminSecret, user.Key, wrongSecret, user.Key[4..], KeysApi.AdminSecret[..20]];
        foreach (LogEvent line in _log.Events)
        {
            string text = LogText.Of(line);
            Assert.DoesNotContain(secrets, secret => text.Contains(secret, StringComparison.Ordinal));
        }
        Assert.True(requestLines.Count >= 7, $"{requestLines.Count} request lines captured"); // the seven calls above, and the polls
        // Every line of a call that a key let in names the key; only the refused ones have none to name.
        Assert.All(requestLines.Where(e => e.Properties["StatusCode"].ToString() != "401"), e => Assert.True(e.Properties.ContainsKey("KeyId"), LogText.Of(e)));
        Assert.Equal($"\"{user.Id}\"", userLine.Properties["KeyId"].ToString());
        Assert.True(revokeLine.Properties.ContainsKey("KeyId"));
        Assert.False(revokeLine.Properties.ContainsKey("JobId"), "a key's id in the route is not a job's");
        Assert.Contains(_log.Events, e => e.MessageTemplate.Text.StartsWith("Audit: API key {KeyId}", StringComparison.Ordinal)
            && e.Properties["KeyId"].ToString() == $"\"{user.Id}\"" && e.MessageTemplate.Text.Contains("created", StringComparison.Ordinal));
        Assert.Contains(_log.Events, e => e.MessageTemplate.Text.Contains("revoked by {ByKeyId}", StringComparison.Ordinal)
            && e.Properties["KeyId"].ToString() == $"\"{user.Id}\"");
    }

    public void Dispose() => _directory.Dispose();

    private static string? Path(LogEvent line) => line.Properties.TryGetValue("RequestPath", out LogEventPropertyValue? value) && value is ScalarValue { Value: string path } ? path : null;
}
