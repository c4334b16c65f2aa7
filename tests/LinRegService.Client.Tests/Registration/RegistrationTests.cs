using System.Net;
using System.Text;
using LinRegService.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Client.Tests.Registration;

/// <summary>
/// What the real service never shows: a base address behind a path prefix, and error answers
/// that are not problem details (a proxy's page). A stub answers in place of the service.
/// </summary>
public sealed class RegistrationTests
{
    [Theory]
    [InlineData("http://gateway.test/linreg", "http://gateway.test/linreg/api/jobs/j1")]
    [InlineData("http://gateway.test/linreg/", "http://gateway.test/linreg/api/jobs/j1")]
    [InlineData("http://linreg.test:8080", "http://linreg.test:8080/api/jobs/j1")]
    public async Task Requests_go_below_the_base_address_path(string baseAddress, string expected)
    {
        var stub = new Stub(HttpStatusCode.NotFound, """{"status":404,"title":"Job not found"}""", "application/problem+json");
        using ServiceProvider services = ClientOver(new Uri(baseAddress), stub);

        await Assert.ThrowsAsync<LinRegServiceException>(() => services.GetRequiredService<ILinRegServiceClient>().GetAsync("j1"));

        Assert.Equal(expected, stub.LastUri?.AbsoluteUri);
    }

    [Fact]
    public void Relative_base_address_is_refused()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.AddLinRegServiceClient(new Uri("linreg", UriKind.Relative)));

        Assert.Equal("baseAddress", error.ParamName);
    }

    [Fact]
    public async Task Answer_that_is_not_a_problem_keeps_its_status_and_the_start_of_its_body()
    {
        var stub = new Stub(HttpStatusCode.BadGateway, "<html>upstream down</html>", "text/html");
        using ServiceProvider services = ClientOver(new Uri("http://linreg.test/"), stub);

        var error = await Assert.ThrowsAsync<LinRegServiceException>(
            () => services.GetRequiredService<ILinRegServiceClient>().SubmitAsync(new JobRequest()));

        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Equal("Bad Gateway", error.Title);
        Assert.Equal("<html>upstream down</html>", error.Detail);
        Assert.Empty(error.Errors);
        Assert.Null(error.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "This needs an admin key", null)]
    [InlineData(HttpStatusCode.TooManyRequests, "Too many requests", 7)]
    public async Task Refusals_of_who_calls_and_how_often_are_exceptions_with_their_status(HttpStatusCode status, string title, int? retryAfter)
    {
        var stub = new Stub(status, $$"""{"status":{{(int)status}},"title":"{{title}}"}""", "application/problem+json") { RetryAfter = retryAfter };
        using ServiceProvider services = ClientOver(new Uri("http://linreg.test/"), stub);

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => services.GetRequiredService<ILinRegServiceClient>().GetAsync("j1"));

        Assert.Equal((status, title), (error.Status, error.Title));
        Assert.Equal(retryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null, error.RetryAfter);
    }

    [Fact]
    public async Task Request_body_is_the_contracts_json()
    {
        var stub = new Stub(HttpStatusCode.ServiceUnavailable, "", "text/plain");
        using ServiceProvider services = ClientOver(new Uri("http://linreg.test/"), stub);

        await Assert.ThrowsAsync<LinRegServiceException>(() => services.GetRequiredService<ILinRegServiceClient>()
            .SubmitAsync(new JobRequest { Training = new TrainingRequest { BatchSize = 5 } }, "key-1"));

        Assert.Contains("\"training\":{", stub.LastBody, StringComparison.Ordinal);
        Assert.Contains("\"batchSize\":5", stub.LastBody, StringComparison.Ordinal);
        Assert.Equal("key-1", stub.LastIdempotencyKey);
    }

    private static ServiceProvider ClientOver(Uri baseAddress, Stub stub)
    {
        var services = new ServiceCollection();
        services.AddLinRegServiceClient(baseAddress).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider();
    }

    /// <summary>Answers every request with one status and body, remembering the last request.</summary>
    private sealed class Stub(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        public Uri? LastUri { get; private set; }

        public string LastBody { get; private set; } = "";

        public string? LastIdempotencyKey { get; private set; }

        public int? RetryAfter { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            LastBody = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            LastIdempotencyKey = request.Headers.TryGetValues("Idempotency-Key", out IEnumerable<string>? keys) ? keys.Single() : null;
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            if (RetryAfter is { } seconds)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            }
            return response;
        }
    }
}
