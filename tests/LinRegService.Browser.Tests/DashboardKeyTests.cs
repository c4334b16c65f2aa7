using System.Collections.Concurrent;
using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>
/// The dashboard of a service that requires keys, in headless Chromium: it asks for a key when
/// the API answers 401, or takes it from the start-up link's <c>#key=</c> (and drops it from the
/// address); it keeps it in session storage and sends it as a Bearer header on every call, the
/// event stream and the plots included, never in a URL.
/// </summary>
public sealed class DashboardKeyTests(KeyedBrowserSession session, ITestOutputHelper output) : IClassFixture<KeyedBrowserSession>
{
    private static readonly LocatorAssertionsToHaveTextOptions _untilDone = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task Without_a_key_the_page_asks_for_one_then_runs_a_job_live_with_it_in_headers_only()
    {
        session.Errors.Clear();
        CreatedApiKey key = await session.NewUserKeyAsync("dashboard user");
        IPage page = await session.NewPageAsync();
        ConcurrentQueue<(string Url, string? Authorization)> calls = Record(page);

        await page.GotoAsync("/");
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", key.Key);
        await page.ClickAsync("#key-submit");
        await Expect(page.Locator("#key-prompt")).ToBeHiddenAsync();
        // Long enough (2,000,000 rows, 10 epochs) that the page surely watches it run through its event stream:
        // the book's run itself can finish before the page first reads it, and a finished job is not watched.
        await page.FillAsync("input[name='dataset.examples']", "2000000");
        await page.FillAsync("input[name='training.epochs']", "10");
        await page.ClickAsync("#submit-job");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", _untilDone);
        await Expect(page.Locator("#job-progress-text")).ToContainTextAsync("10 of 10");
        await WaitForPlotAsync(page, "#loss-plot");
        await WaitForPlotAsync(page, "#data-plot");

        string id = await page.InnerTextAsync("#job-id");
        using HttpClient owner = session.CreateClient(key.Key);
        Assert.Equal(JobStatus.Succeeded, (await owner.GetJobAsync(id)).Status); // the job is the key's own
        Assert.Equal(key.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('linreg-api-key')"));
        (string Url, string? Authorization)[] api = [.. calls.Where(c => c.Url.Contains("/api/", StringComparison.Ordinal))];
        Assert.Contains(api, c => c.Url.EndsWith($"/api/jobs/{id}/events", StringComparison.Ordinal) && c.Authorization == $"Bearer {key.Key}");
        Assert.Contains(api, c => c.Url.Contains($"/api/jobs/{id}/plots/loss.svg", StringComparison.Ordinal) && c.Authorization == $"Bearer {key.Key}");
        Assert.All(api.SkipWhile(c => c.Authorization is null), c => Assert.Equal($"Bearer {key.Key}", c.Authorization));
        Assert.DoesNotContain(calls, c => c.Url.Contains(key.Key, StringComparison.Ordinal));
        foreach (string path in await Screenshots.SaveAsync(page, "dashboard-with-key"))
        {
            output.WriteLine($"screenshot: {path}");
        }
        Assert.True(session.Errors.Count == 0 || session.Errors.All(e => e.Contains("401", StringComparison.Ordinal)),
            "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task The_start_up_links_key_is_taken_from_the_fragment_and_dropped_from_the_address()
    {
        CreatedApiKey key = await session.NewUserKeyAsync("link user");
        using HttpClient owner = session.CreateClient(key.Key);
        Job job = await owner.SubmitAsync("""{ "sampleCount": 0 }""");
        IPage page = await session.NewPageAsync();
        ConcurrentQueue<(string Url, string? Authorization)> calls = Record(page);

        await page.GotoAsync($"/#key={key.Key}");
        await Expect(page.Locator("#job-list")).ToContainTextAsync(job.Id[^8..]);

        Assert.Equal("", await page.EvaluateAsync<string>("() => location.hash"));
        Assert.DoesNotContain(key.Key, page.Url, StringComparison.Ordinal); // replaced in history, not a new entry after it
        await Expect(page.Locator("#key-prompt")).ToBeHiddenAsync();
        await Expect(page.Locator("#forget-key")).ToBeVisibleAsync();
        Assert.DoesNotContain(calls, c => c.Url.Contains(key.Key, StringComparison.Ordinal)); // a fragment is never sent
    }

    [ChromiumFact]
    public async Task A_refused_key_is_said_so_and_asked_for_again()
    {
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();

        await page.FillAsync("#key-input", "lrs_not-a-key-of-this-service");
        await page.ClickAsync("#key-submit");

        await Expect(page.Locator("#key-refused")).ToContainTextAsync("That key was refused", new() { Timeout = 10_000 });
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
    }

    /// <summary>Every request the page makes, with the Authorization header it carried.</summary>
    private static ConcurrentQueue<(string Url, string? Authorization)> Record(IPage page)
    {
        var calls = new ConcurrentQueue<(string, string?)>();
        page.Request += (_, request) => calls.Enqueue((request.Url, request.Headers.TryGetValue("authorization", out string? value) ? value : null));
        return calls;
    }

    /// <summary>A plot fetched with the key is shown from a blob: URL once it has loaded.</summary>
    private static Task<IJSHandle> WaitForPlotAsync(IPage page, string selector) =>
        page.WaitForFunctionAsync(
            "(selector) => { const img = document.querySelector(selector); return img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:') && img.dataset.src.includes('succeeded'); }",
            selector,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
}
