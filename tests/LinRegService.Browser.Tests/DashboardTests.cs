using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinRegService.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The dashboard at <c>/</c> in headless Chromium: submit, watch it live without a reload, read the result, a bad submission.</summary>
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
        double w0 = await DashboardPage.NumberAsync(page, "#weights tr[data-param='w0'] td.learned");
        double w1 = await DashboardPage.NumberAsync(page, "#weights tr[data-param='w1'] td.learned");
        double b = await DashboardPage.NumberAsync(page, "#weights tr[data-param='b'] td.learned");
        Assert.InRange(w0, 1.99, 2.01);
        Assert.InRange(w1, -3.41, -3.39);
        Assert.InRange(b, 4.19, 4.21);
        // What the page shows is what the API says.
        using HttpClient client = session.CreateClient();
        JsonNode job = (await client.GetFromJsonAsync<JsonNode>($"/api/jobs/{id}"))!;
        Assert.Equal(job["result"]!["weights"]![0]!.GetValue<double>(), w0, 4);
        Assert.Equal(job["result"]!["closedForm"]!["weights"]![1]!.GetValue<double>(), await DashboardPage.NumberAsync(page, "#weights tr[data-param='w1'] td.closed-form"), 4);
        Assert.Equal(2.0, await DashboardPage.NumberAsync(page, "#weights tr[data-param='w0'] td.true"));
        // Both plots have loaded (a broken image has no natural width), the loss plot drawn after the last epoch.
        await DashboardPage.WaitForImageAsync(page, "#loss-plot", "succeeded");
        await DashboardPage.WaitForImageAsync(page, "#data-plot", "succeeded");
        await Expect(page.Locator("#job-list")).ToContainTextAsync(id[^8..]);
        // The predict box starts with the dataset's first rows; their predictions are what the API answers.
        await page.ClickAsync("#predict-submit");
        await Expect(page.Locator("#predictions tbody tr")).ToHaveCountAsync(2);

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
        // Every progress text the page shows, with the status shown beside it at that moment, and
        // the epochs the recent-jobs row of that job showed at the same moment.
        await page.EvaluateAsync("""
            () => {
              window.progressSeen = [];
              window.rowSeen = [];
              const text = document.getElementById('job-progress-text');
              const note = () => {
                const view = text.textContent;
                window.progressSeen.push(document.getElementById('job-status').textContent + ' ' + view);
                const row = document.querySelector('#job-list tr.selected td.epochs');
                if (view !== '' && row) window.rowSeen.push(view.split(',')[0] + ' | ' + row.textContent);
              };
              new MutationObserver(note).observe(text, { childList: true, characterData: true, subtree: true });
              new MutationObserver(note).observe(document.getElementById('job-list'), { childList: true, characterData: true, subtree: true });
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
        // The row and the view never disagreed ("7 of 20 | 7 / 20"), while both moved.
        string[] pairs = await page.EvaluateAsync<string[]>("() => window.rowSeen");
        string[] disagreements = [.. pairs.Where(p => p.Split(" | ") is [string view, string row] && view.Replace(" of ", " / ", StringComparison.Ordinal) != row)];
        Assert.True(disagreements.Length == 0, $"the recent-jobs row and the job view disagreed: {string.Join(" ; ", disagreements)}");
        Assert.True(pairs.Distinct().Count() >= 3, $"too few moments with both shown: {string.Join(" ; ", pairs)}");
        await DashboardPage.WaitForImageAsync(page, "#loss-plot", "succeeded");
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task A_bad_submission_shows_each_message_beside_its_field_in_words()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#fill-seed");
        Assert.Equal("0.1", await page.InputValueAsync("input[name='dataset.featureStd']"));
        Assert.Equal("", await page.InputValueAsync("input[name='training.seed']"));

        // Two validation errors: the server's messages, under the page's names for the fields.
        await page.FillAsync("input[name='training.batchSize']", "0");
        await page.FillAsync("input[name='dataset.bias']", "1e39");
        await page.ClickAsync("#submit-job");

        await Expect(page.Locator("#form-error")).ToContainTextAsync("400");
        await AssertBesideAsync(page, "training.batchSize", "batch size must be between 1 and examples (1000); got 0.");
        await AssertBesideAsync(page, "dataset.bias", "bias b must be a finite number");
        Assert.True(await page.Locator("#job-view").IsHiddenAsync());

        // A value the server's JSON reader refuses (its answer names the path and byte): said in words.
        await page.FillAsync("input[name='training.batchSize']", "10");
        await page.FillAsync("input[name='dataset.bias']", "4.2");
        await page.FillAsync("input[name='dataset.examples']", "1.5");
        await page.ClickAsync("#submit-job");

        await AssertBesideAsync(page, "dataset.examples", "examples must be a whole number.");
        Assert.Null(await page.GetAttributeAsync("input[name='training.batchSize']", "aria-invalid"));
        Assert.Equal(1, await page.Locator(".field-error").CountAsync());
        string everything = await page.InnerTextAsync("#job-form");
        Assert.DoesNotContain("JSON", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("$.", everything, StringComparison.Ordinal);
        Assert.True(await page.Locator("#job-view").IsHiddenAsync());
        // The browser reports the 400 of the fetch itself; nothing else may be logged.
        Assert.All(session.Errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    /// <summary>The field is marked, and the element right after it (inside its label) says <paramref name="message"/>.</summary>
    private static async Task AssertBesideAsync(IPage page, string field, string message)
    {
        ILocator input = page.Locator($"input[name='{field}']");
        ILocator note = input.Locator("xpath=following-sibling::*[1]");
        await Expect(note).ToHaveClassAsync("field-error");
        await Expect(note).ToContainTextAsync(message);
        Assert.Equal("true", await input.GetAttributeAsync("aria-invalid"));
        Assert.Equal(await note.GetAttributeAsync("id"), await input.GetAttributeAsync("aria-describedby"));
    }
}
