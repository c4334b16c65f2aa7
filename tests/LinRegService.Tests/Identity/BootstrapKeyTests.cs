using System.Net;
using System.Text.RegularExpressions;
using LinRegService.Contracts;
using LinRegService.Keys;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace LinRegService.Tests.Identity;

/// <summary>
/// The first start that finds no admin key (and no <c>Auth:AdminKey</c>) makes one and prints it
/// once, with a dashboard link carrying it in the URL fragment; later starts print nothing; the
/// logger never sees it.
/// </summary>
public sealed partial class BootstrapKeyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task The_first_start_prints_a_working_admin_key_once_and_the_next_start_prints_none()
    {
        var firstOutput = new StringWriter();
        var log = new LogCapture();
        string secret;
        using (ServiceFactory first = Start(firstOutput, log))
        {
            using HttpClient probe = first.CreateClient(); // creating a client starts the server
            string printed = firstOutput.ToString();
            secret = Assert.Single(Secret().Matches(printed).Select(m => m.Value).Distinct());
            Assert.Single(Regex.Matches(printed, "An admin API key was made"));
            Assert.Contains($"/#key={secret}", printed, StringComparison.Ordinal);
            Assert.Matches(@"http://127\.0\.0\.1:\d+/#key=", printed);

            using HttpClient admin = first.CreateClient(secret);
            using HttpResponseMessage keys = await admin.GetAsync("/api/keys");
            ApiKey made = Assert.Single((await keys.ReadAsAsync<ApiKeyList>(HttpStatusCode.OK)).Items);
            Assert.Equal((ApiKeyRole.Admin, "bootstrap"), (made.Role, made.Origin));
            Assert.Contains(log.Events, e => e.MessageTemplate.Text.Contains("admin key {KeyId} was made", StringComparison.Ordinal));
        }
        var secondOutput = new StringWriter();
        using (ServiceFactory second = Start(secondOutput, log))
        {
            using HttpClient admin = second.CreateClient(secret);
            using HttpResponseMessage me = await admin.GetAsync("/api/keys/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode); // the key of the first start still works
        }

        Assert.DoesNotMatch(Secret(), secondOutput.ToString());
        Assert.DoesNotContain(log.Events, e => LogText.Of(e).Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_auth_admin_key_set_nothing_is_made_or_printed_and_changing_it_retires_the_old_secret()
    {
        var output = new StringWriter();
        using (ServiceFactory configured = Start(output, new LogCapture(), adminKey: "first-configured-admin-secret-0001"))
        {
            using HttpClient admin = configured.CreateClient("first-configured-admin-secret-0001");
            using HttpResponseMessage keys = await admin.GetAsync("/api/keys");
            Assert.Equal("config", Assert.Single((await keys.ReadAsAsync<ApiKeyList>(HttpStatusCode.OK)).Items).Origin);
        }
        using ServiceFactory rotated = Start(output, new LogCapture(), adminKey: "second-configured-admin-secret-02");
        using HttpClient old = rotated.CreateClient("first-configured-admin-secret-0001");
        using HttpClient current = rotated.CreateClient("second-configured-admin-secret-02");

        using HttpResponseMessage refused = await old.GetAsync("/api/keys");
        using HttpResponseMessage served = await current.GetAsync("/api/keys");

        Assert.DoesNotMatch(Secret(), output.ToString());
        await KeysApi.AssertUnauthorizedAsync(refused);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A host on Kestrel (so the printed link has an address) that requires keys, printing to <paramref name="output"/>.</summary>
    private ServiceFactory Start(StringWriter output, LogCapture log, string? adminKey = null)
    {
        var factory = new ServiceFactory(_directory.ConnectionString, new Dictionary<string, string?> { ["Auth:Mode"] = "ApiKeys", ["Auth:AdminKey"] = adminKey })
        {
            TestServices = services =>
            {
                services.AddSingleton(new BootstrapConsole { Out = output });
                services.AddSingleton<ILogEventSink>(log);
            },
        };
        factory.UseKestrel(port: 0);
        factory.StartServer();
        return factory;
    }

    [GeneratedRegex(@"lrs_[A-Za-z0-9_-]{43}")]
    private static partial Regex Secret();
}
