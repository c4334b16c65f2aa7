using LinRegService.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The dashboard's Data view in headless Chromium: the Ohm example uploaded from a file, listed, trained on, compared.</summary>
public sealed class DashboardDataTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    [ChromiumFact]
    public async Task A_csv_uploaded_from_the_page_is_listed_and_trains_a_job_that_reads_the_resistance()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#nav-data");
        await Expect(page.Locator("#data-page")).ToBeVisibleAsync();

        await page.SetInputFilesAsync("#upload-file", OhmCsv());
        // The label column is picked by name from the file's own header, read in the page.
        await Expect(page.Locator("#upload-label option")).ToHaveCountAsync(3);
        await page.SelectOptionAsync("#upload-label", "voltage");
        Assert.Equal("ohm", await page.InputValueAsync("#upload-name"));
        await page.ClickAsync("#upload-submit");

        await Expect(page.Locator("#dataset-view")).ToBeVisibleAsync();
        await Expect(page.Locator("#dataset-summary")).ToContainTextAsync("40 rows, 1 feature (current) and the label voltage");
        await Expect(page.Locator("#dataset-rows tbody tr")).ToHaveCountAsync(10);
        await Expect(page.Locator("#dataset-list tr")).ToHaveCountAsync(1);
        foreach (string path in await Screenshots.SaveAsync(page, "data-ohm", forDocs: true))
        {
            output.WriteLine($"screenshot: {path}");
        }

        // Trained from the page: standardized features, the default learning rate and epochs; the job view opens.
        await page.ClickAsync("#dataset-train");
        await page.WaitForFunctionAsync("() => location.hash.startsWith('#job=')");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });

        // Compare opens with the dataset as the base run.
        await page.ClickAsync("#nav-data");
        await page.Locator("#dataset-list a").First.ClickAsync();
        await page.ClickAsync("#dataset-compare");
        await Expect(page.Locator("#compare-page")).ToBeVisibleAsync();
        Assert.Contains("\"standardize\":true", await page.InputValueAsync("#sweep-base"), StringComparison.Ordinal);
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task A_bad_csv_is_refused_with_where_it_went_wrong()
    {
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/#data");
        await page.SetInputFilesAsync("#upload-file", new FilePayload
        {
            Name = "bad.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("current,voltage\n0.1,4.7\n0.2,abc\n"),
        });
        await page.ClickAsync("#upload-submit");
        await Expect(page.Locator("#upload-error")).ToContainTextAsync("Row 2, column \"voltage\": \"abc\" is not a number.");
    }

    private static string OhmCsv()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "LinRegService.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return Path.Combine(directory ?? throw new InvalidOperationException("the repository root was not found"), "docs", "examples", "ohm.csv");
    }
}
