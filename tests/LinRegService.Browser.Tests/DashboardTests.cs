using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinRegService.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The dashboard at <c>/</c> in headless Chromium: submit, watch it live without a reload, read the result.</summary>
public sealed class DashboardTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private static readonly LocatorAssertionsToHaveTextOptions _untilDone = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task Book_run_submitted_from_the_page_reaches_succeeded_live_and_shows_the_learned_weights()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Equal("2, -3.4", await page.InputValueAsync("input[name='dataset.weights']"));
        Assert.Equal("0.03", await page.InputValueAsync("input[name='training.learningRate']"));
        Assert.Equal("10", await page.InputValueAsync("input[name='training.batchSize']"));
        Assert.Equal("3", await page.InputValueAsync("input[name='training.epochs']"));
        await page.EvaluateAsync("() => { window.sameDocument = true; }"); // gone if the page reloads

        await page.ClickAsync("#submit-job");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", _untilDone);

        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page reloaded");
        await Expect(page.Locator("#job-progress-text")).ToContainTextAsync("3 of 3");
        string id = await page.InnerTextAsync("#job-id");
        double w0 = await NumberAsync(page, "#weights tr[data-param='w0'] td.learned");
        double w1 = await NumberAsync(page, "#weights tr[data-param='w1'] td.learned");
        double b = await NumberAsync(page, "#weights tr[data-param='b'] td.learned");
        Assert.InRange(w0, 1.99, 2.01);
        Assert.InRange(w1, -3.41, -3.39);
        Assert.InRange(b, 4.19, 4.21);
        // What the page shows is what the API says.
        using HttpClient client = session.CreateClient();
        JsonNode job = (await client.GetFromJsonAsync<JsonNode>($"/api/jobs/{id}"))!;
        Assert.Equal(job["result"]!["weights"]![0]!.GetValue<double>(), w0, 4);
        Assert.Equal(job["result"]!["closedForm"]!["weights"]![1]!.GetValue<double>(), await NumberAsync(page, "#weights tr[data-param='w1'] td.closed-form"), 4);
        Assert.Equal(2.0, await NumberAsync(page, "#weights tr[data-param='w0'] td.true"));
        // Both plots have loaded (a broken image has no natural width), the loss plot drawn after the last epoch.
        await WaitForImageAsync(page, "#loss-plot", "succeeded");
        await WaitForImageAsync(page, "#data-plot", "succeeded");
        await Expect(page.Locator("#job-list")).ToContainTextAsync(id[^8..]);

        foreach (string path in await Screenshots.SaveAsync(page, "dashboard", forDocs: true))
        {
            output.WriteLine($"screenshot: {path}");
        }
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task Progress_moves_while_a_longer_run_trains()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("input[name='dataset.examples']", "2000000");
        await page.FillAsync("input[name='training.epochs']", "20");
        // Every progress text the page shows, with the status shown beside it at that moment.
        await page.EvaluateAsync("""
            () => {
              window.progressSeen = [];
              const text = document.getElementById('job-progress-text');
              new MutationObserver(() => window.progressSeen.push(document.getElementById('job-status').textContent + ' ' + text.textContent))
                .observe(text, { childList: true, characterData: true, subtree: true });
            }
            """);

        await page.ClickAsync("#submit-job");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", _untilDone);

        string[] seen = await page.EvaluateAsync<string[]>("() => window.progressSeen");
        output.WriteLine(string.Join(" | ", seen));
        // Epochs shown while the page still said "running": the page followed the run, it did not replay it.
        string[] live = [.. seen.Where(s => s.StartsWith("running ", StringComparison.Ordinal) && !s.StartsWith("running 0 of", StringComparison.Ordinal)).Distinct()];
        Assert.True(live.Length >= 2, $"fewer than 2 epochs were shown while the job ran: {string.Join(" | ", seen)}");
        Assert.StartsWith("succeeded 20 of 20", seen[^1], StringComparison.Ordinal);
        await WaitForImageAsync(page, "#loss-plot", "succeeded");
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task A_bad_submission_shows_the_problem_and_marks_the_field()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#fill-seed");
        Assert.Equal("0.1", await page.InputValueAsync("input[name='dataset.featureStd']"));
        Assert.Equal("", await page.InputValueAsync("input[name='training.seed']"));

        await page.FillAsync("input[name='training.batchSize']", "0");
        await page.ClickAsync("#submit-job");

        ILocator problem = page.Locator("#form-error");
        await Expect(problem).ToBeVisibleAsync();
        await Expect(problem).ToContainTextAsync("400");
        await Expect(problem).ToContainTextAsync("training.batchSize");
        Assert.Equal("true", await page.GetAttributeAsync("input[name='training.batchSize']", "aria-invalid"));
        Assert.True(await page.Locator("#job-view").IsHiddenAsync());
        // The browser reports the 400 of the fetch itself; nothing else may be logged.
        Assert.All(session.Errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    private static async Task<double> NumberAsync(IPage page, string selector) =>
        double.Parse(await page.InnerTextAsync(selector), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static async Task WaitForImageAsync(IPage page, string selector, string version) =>
        await page.WaitForFunctionAsync(
            "([selector, version]) => { const img = document.querySelector(selector); return img.complete && img.naturalWidth > 0 && img.src.includes(version); }",
            new object[] { selector, version },
            new PageWaitForFunctionOptions { Timeout = 15_000 });
}
