using System.Text.RegularExpressions;
using LinRegService.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>Swagger UI in headless Chromium, under the service's Content-Security-Policy: submit the example job and read it back, as a person would.</summary>
public sealed partial class SwaggerUiTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private static readonly LocatorAssertionsToHaveTextOptions _wait = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task Try_it_out_submits_the_example_job_and_reads_it_back()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/swagger");

        // POST /api/jobs: expand, "Try it out" with the example body, "Execute".
        ILocator submit = page.Locator("#operations-Jobs-SubmitJob");
        await submit.Locator(".opblock-summary").ClickAsync();
        await submit.Locator(".try-out__btn").ClickAsync();
        string body = await submit.Locator("textarea.body-param__text").InputValueAsync();
        Assert.Contains("\"learningRate\": 0.03", body, StringComparison.Ordinal);
        await submit.Locator("button.execute").ClickAsync();
        ILocator submitted = submit.Locator(".live-responses-table tbody td.response-col_status");
        await Expect(submitted).ToHaveTextAsync("202", _wait);
        string answer = await submit.Locator(".live-responses-table tbody td.response-col_description").InnerTextAsync();
        Match id = JobId().Match(answer);
        Assert.True(id.Success, $"no job id in the response shown: {answer}");

        // GET /api/jobs/{id} with that id.
        ILocator get = page.Locator("#operations-Jobs-GetJob");
        await get.Locator(".opblock-summary").ClickAsync();
        await get.Locator(".try-out__btn").ClickAsync();
        await get.Locator("tr[data-param-name='id'] input").FillAsync(id.Groups[1].Value);
        await get.Locator("button.execute").ClickAsync();
        await Expect(get.Locator(".live-responses-table tbody td.response-col_status")).ToHaveTextAsync("200", _wait);
        string job = await get.Locator(".live-responses-table tbody td.response-col_description").InnerTextAsync();

        Assert.Contains($"\"id\": \"{id.Groups[1].Value}\"", job, StringComparison.Ordinal);
        Assert.Matches("\"status\": \"(queued|running|succeeded)\"", job);
        foreach (string path in await Screenshots.SaveAsync(page, "swagger-ui"))
        {
            output.WriteLine($"screenshot: {path}");
        }
        foreach (string error in session.Errors)
        {
            output.WriteLine(error); // reported: Swagger UI is not this project's page
        }
        // But the service's Content-Security-Policy must not break it.
        Assert.DoesNotContain(session.Errors, e => e.Contains("CSP", StringComparison.Ordinal) || e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [GeneratedRegex("\"id\": \"([0-9a-f]{32})\"")]
    private static partial Regex JobId();
}
