using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinRegService.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The dashboard's Compare view in headless Chromium: an exercise preset run as a sweep, its jobs in a sortable table, its plots.</summary>
public sealed partial class DashboardCompareTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private static readonly LocatorAssertionsToHaveTextOptions _untilFinished = new() { Timeout = 60_000 };

    [ChromiumFact]
    public async Task Compare_exercise_6_runs_fourteen_jobs_marks_the_diverged_ones_and_sorts_by_final_loss()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#nav-compare");
        await Expect(page.Locator("#compare-page")).ToBeVisibleAsync();
        await Expect(page.Locator("#jobs-page")).ToBeHiddenAsync();

        await page.SelectOptionAsync("#preset", "exercise-6");
        await Expect(page.Locator("#preset-note")).ToContainTextAsync("diverge");
        await Expect(page.Locator("#sweep-size")).ToHaveTextAsync("14 jobs");
        await page.ClickAsync("#submit-sweep");

        // Every job ended, the table shows all 14 of them, and both plots have loaded.
        await Expect(page.Locator("#sweep-status")).ToHaveTextAsync("finished", _untilFinished);
        await Expect(page.Locator("#sweep-progress-text")).ToContainTextAsync("14 of 14");
        ILocator rows = page.Locator("#sweep-jobs tbody tr");
        await Expect(rows).ToHaveCountAsync(14);
        IReadOnlyList<string> statuses = await page.Locator("#sweep-jobs tbody td.job-status > .status").AllInnerTextsAsync();
        Assert.Equal(14, statuses.Count);
        Assert.All(statuses, status => Assert.True(status is "succeeded" or "failed", status));
        await DashboardPage.WaitForImageAsync(page, "#sweep-losses", "finished");
        await DashboardPage.WaitForImageAsync(page, "#sweep-final", "finished");
        string id = await page.InnerTextAsync("#sweep-id");
        Assert.EndsWith($"#sweep={id}", page.Url, StringComparison.Ordinal);

        // The rate of 3 diverges with 3 epochs and with 10: both rows marked.
        ILocator fastest = rows.Filter(new() { Has = page.Locator("td[data-field='training.learningRate']", new() { HasTextRegex = Exactly("3") }) });
        await Expect(fastest).ToHaveCountAsync(2);
        for (int i = 0; i < 2; i++)
        {
            await Expect(fastest.Nth(i)).ToHaveClassAsync(DivergedClass());
            await Expect(fastest.Nth(i).Locator(".badge.diverged")).ToHaveTextAsync("diverged");
        }
        // What the page marks is what the API says.
        using HttpClient client = session.CreateClient();
        JsonNode sweep = (await client.GetFromJsonAsync<JsonNode>($"/api/sweeps/{id}"))!;
        int diverged = sweep["jobs"]!.AsArray().Count(job => job!["diverged"]!.GetValue<bool>());
        await Expect(page.Locator("#sweep-jobs tbody tr.diverged")).ToHaveCountAsync(diverged);

        // Sorting by final loss puts a job with a finite loss, the lowest, first; the diverged ones last.
        await page.ClickAsync("#sort-final-loss");
        await Expect(page.Locator("#sort-final-loss")).ToContainTextAsync("▲");
        await Expect(rows.First).Not.ToHaveClassAsync(DivergedClass());
        double[] losses = [.. (await page.Locator("#sweep-jobs tbody tr:not(.diverged) td.final-loss").AllInnerTextsAsync()).Select(Number)];
        Assert.True(double.IsFinite(losses[0]), $"first final loss {losses[0]}");
        Assert.Equal(losses.Min(), losses[0]);
        Assert.Equal(losses.Order(), losses);
        await Expect(rows.Last).ToHaveClassAsync(DivergedClass());

        await page.Locator("#sweep-view").ScrollIntoViewIfNeededAsync();
        foreach (string path in await Screenshots.SaveAsync(page, "compare-exercise-6", forDocs: true))
        {
            output.WriteLine($"screenshot: {path}");
        }

        // The final-loss plot follows the x chosen.
        await page.SelectOptionAsync("#final-x", "training.epochs");
        await page.WaitForFunctionAsync("() => document.getElementById('sweep-final').dataset.src.includes('x=training.epochs')");
        await DashboardPage.WaitForImageAsync(page, "#sweep-final", "x=training.epochs");
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task Every_preset_fills_the_grid_says_what_to_look_for_and_runs()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/#compare");
        await Expect(page.Locator("#compare-page")).ToBeVisibleAsync();

        (string Preset, string Field, string Values, int Jobs)[] presets =
        [
            ("exercise-1", "training.initStd", "0, 0.01, 31.6", 3),
            ("exercise-7", "training.batchSize", "7, 10, 64, 300, 1000", 5),
            ("exercise-8", "training.loss", "squared, absolute, huber", 3),
            ("exercise-9", "training.shuffle", "true, false", 2),
        ];
        foreach ((string preset, string field, string values, int jobs) in presets)
        {
            await page.SelectOptionAsync("#preset", preset);
            Assert.NotEqual("", await page.InnerTextAsync("#preset-note"));
            Assert.Equal(field, await page.InputValueAsync("#grid-rows .grid-row:first-child .grid-field"));
            Assert.Equal(values, await page.InputValueAsync("#grid-rows .grid-row:first-child .grid-values"));
            await Expect(page.Locator("#sweep-size")).ToHaveTextAsync($"{jobs} jobs");
        }
        await page.SelectOptionAsync("#preset", "exercise-8");
        Assert.Contains("\"outliers\": { \"rows\": [ 5 ], \"label\": 10000 }", await page.InputValueAsync("#sweep-base"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#preset", "exercise-9");
        Assert.Contains("\"order\": \"sortedByLabel\"", await page.InputValueAsync("#sweep-base"), StringComparison.Ordinal);

        // Every preset runs to the end.
        foreach ((string preset, int jobs) in new[] { ("exercise-1", 3), ("exercise-7", 5), ("exercise-9", 2), ("exercise-8", 3) })
        {
            await page.SelectOptionAsync("#preset", preset);
            string before = page.Url;
            await page.ClickAsync("#submit-sweep");
            await page.WaitForFunctionAsync("previous => location.href !== previous && location.hash.startsWith('#sweep=')", before);
            await Expect(page.Locator("#sweep-status")).ToHaveTextAsync("finished", _untilFinished);
            await Expect(page.Locator("#sweep-jobs tbody tr")).ToHaveCountAsync(jobs);
            await DashboardPage.WaitForImageAsync(page, "#sweep-losses", "finished");
        }
        // Across loss functions the final plot shows how far the weights landed, not the outlier's squared loss.
        await page.WaitForFunctionAsync("() => document.getElementById('sweep-final').dataset.src.includes('y=weightError')");
        await DashboardPage.WaitForImageAsync(page, "#sweep-final", "y=weightError");
        await page.Locator("#sweep-view").ScrollIntoViewIfNeededAsync();
        foreach (string path in await Screenshots.SaveAsync(page, "compare-exercise-8", forDocs: true))
        {
            output.WriteLine($"screenshot: {path}");
        }
        // Every sweep is in the recent list, and Back returns to the one before.
        await Expect(page.Locator("#sweep-list tr")).ToHaveCountAsync(4);
        await page.GoBackAsync();
        await Expect(page.Locator("#sweep-jobs tbody tr")).ToHaveCountAsync(2);
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Regex Exactly(string text) => new($"^{Regex.Escape(text)}$");

    [GeneratedRegex(@"\bdiverged\b")]
    private static partial Regex DivergedClass();
}
