using System.Diagnostics;
using System.Net;
using System.Text;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Tests.Replicas;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinRegService.Tests.Identity;

/// <summary>
/// <c>Auth:Mode</c> None, where a call needs no key: only on loopback addresses, and never for a web
/// page of another site, whether it comes through DNS rebinding (a foreign <c>Host</c>) or as a
/// cross-site request (a foreign <c>Origin</c>, a browser's <c>Sec-Fetch-Site</c>).
/// </summary>
public sealed class NoKeyModeTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5080")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("10.0.0.5:5080")]
    public async Task A_host_that_is_not_a_loopback_name_is_refused_so_dns_rebinding_cannot_reach_the_api(string host)
    {
        using HttpClient client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = host;

        using HttpResponseMessage response = await client.SendAsync(request);

        JsonAssert(await Problem.AssertAsync(response, HttpStatusCode.BadRequest), "Host not served");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public async Task Loopback_names_with_any_port_are_served(string host)
    {
        using HttpClient client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = host;

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost:3000")] // another local site is another origin
    [InlineData("null")]
    public async Task A_cross_site_form_cannot_cancel_a_job(string origin)
    {
        using HttpClient client = service.CreateClient();
        Job job = await client.SubmitAsync(Requests.LongJob());
        // A "simple" request a page may send anywhere without a preflight: text/plain, no custom headers.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{job.Id}/cancel") { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", origin);

        using HttpResponseMessage response = await client.SendAsync(request);

        JsonAssert(await Problem.AssertAsync(response, HttpStatusCode.Forbidden), "Cross-site request refused");
        Assert.NotEqual(JobStatus.Canceling, (await client.GetJobAsync(job.Id)).Status);
        Assert.NotEqual(JobStatus.Canceled, (await client.GetJobAsync(job.Id)).Status);
        using HttpResponseMessage cancel = await client.CancelAsync(job.Id); // and the test's own cancel, same origin, works
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
    }

    [Fact]
    public async Task A_browsers_cross_site_fetch_without_origin_is_refused_and_its_own_pages_calls_are_served()
    {
        using HttpClient client = service.CreateClient();
        using var crossSite = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        crossSite.Headers.Add("Sec-Fetch-Mode", "no-cors"); // an <img> or <script> of another site
        using var ownPage = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        ownPage.Headers.Add("Origin", "http://localhost");
        ownPage.Headers.Add("Sec-Fetch-Site", "same-origin");

        using HttpResponseMessage refused = await client.SendAsync(crossSite);
        using HttpResponseMessage served = await client.SendAsync(ownPage);

        await Problem.AssertAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, served.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("https://127.0.0.2:443/", true)]
    [InlineData("http://unix:/run/linreg.sock", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://10.1.2.3:80", false)]
    [InlineData("http://myhost:80", false)]
    public void Only_loopback_addresses_count_as_loopback(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackAddresses.IsLoopbackUrl(url));

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.Unauthorized)]
    public async Task Development_needs_no_key_by_default_and_any_other_environment_does(string environment, HttpStatusCode expected)
    {
        using var directory = new TempDirectory();
        // Not ServiceFactory, which sets Auth:Mode: only the settings files decide here.
        using WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Jobs", directory.ConnectionString);
            web.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            web.UseSetting("Auth:AdminKey", KeysApi.AdminSecret); // no first-start key printed
        });
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/api/jobs");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task None_on_an_address_other_machines_can_reach_refuses_to_start_and_says_why()
    {
        ProcessStartInfo start = ServiceReplica.StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_URLS"] = "http://0.0.0.0:0"; // refused before anything listens
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Auth__Mode"] = "None";
        using var directory = new TempDirectory();
        start.Environment["ConnectionStrings__Jobs"] = directory.ConnectionString;

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string said = await output + await errors;

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Auth:Mode is None", said, StringComparison.Ordinal);
        Assert.Contains("http://0.0.0.0:0, which other machines can reach", said, StringComparison.Ordinal);
    }

    private static void JsonAssert(System.Text.Json.Nodes.JsonObject problem, string title) => Assert.Equal(title, (string?)problem["title"]);
}
