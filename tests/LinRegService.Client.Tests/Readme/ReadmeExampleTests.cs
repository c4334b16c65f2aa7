using System.Net;
using System.Text.RegularExpressions;
using LinRegService.Client.Tests.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinRegService.Client.Tests.Readme;

/// <summary>The README's client example is this project's <see cref="ReadmeExample"/>, and it runs against the real service.</summary>
public sealed partial class ReadmeExampleTests(KeyedServiceFixture service) : IClassFixture<KeyedServiceFixture>
{
    private const string Heading = "## Call it from .NET";

    [Fact]
    public void Every_line_of_the_readme_example_stands_in_order_in_the_compiled_copy()
    {
        string root = RepositoryRoot();
        string[] readme = CodeBlockUnder(File.ReadAllLines(Path.Combine(root, "README.md")), Heading);
        string[] compiled = File.ReadAllLines(Path.Combine(root, "tests", "LinRegService.Client.Tests", "Readme", "ReadmeExample.cs"));

        Assert.InRange(readme.Length, 8, 16);
        int at = 0;
        foreach (string line in readme)
        {
            while (at < compiled.Length && compiled[at].Trim() != line)
            {
                at++;
            }
            Assert.True(at < compiled.Length, $"README line not found (in order) in ReadmeExample.cs: {line}");
            at++;
        }
    }

    [Fact]
    public async Task Readme_example_fits_the_books_weights_through_the_service()
    {
        var started = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task run = Task.Run(() => ReadmeExample.Run(
            [],
            builder =>
            {
                builder.WebHost.UseTestServer();
                builder.Logging.ClearProviders();
                builder.Configuration["LinReg:ApiKey"] = KeyedServiceFixture.AdminKey; // the service requires keys, as in Docker
                // Every HttpClient of the example's service goes to the test server, whatever its host.
                builder.Services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(() => service.Factory.Server.CreateHandler()));
            },
            app => app.Lifetime.ApplicationStarted.Register(() => started.SetResult(app))));
        WebApplication app = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            using HttpClient caller = app.GetTestClient();
            using HttpResponseMessage response = await caller.PostAsync("/fit", content: null);
            string answer = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Match fit = AnswerPattern().Match(answer);
            Assert.True(fit.Success, answer);
            Assert.Equal(2.0, double.Parse(fit.Groups["w0"].Value, System.Globalization.CultureInfo.InvariantCulture), 0.01);
            Assert.Equal(-3.4, double.Parse(fit.Groups["w1"].Value, System.Globalization.CultureInfo.InvariantCulture), 0.01);
        }
        finally
        {
            app.Lifetime.StopApplication();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [GeneratedRegex(@"^Succeeded: w = \[(?<w0>[-0-9.E]+), (?<w1>[-0-9.E]+)\], b = (?<b>[-0-9.E]+)$")]
    private static partial Regex AnswerPattern();

    /// <summary>The folder holding LinRegService.sln, found upwards from the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LinRegService.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No LinRegService.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The non-blank lines, trimmed, of the first csharp block after <paramref name="heading"/>.</summary>
    private static string[] CodeBlockUnder(string[] markdown, string heading)
    {
        int start = Array.IndexOf(markdown, heading);
        Assert.True(start >= 0, $"README has no '{heading}'");
        return [.. markdown.Skip(start)
            .SkipWhile(line => line.Trim() != "```csharp").Skip(1)
            .TakeWhile(line => line.Trim() != "```")
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)];
    }
}
