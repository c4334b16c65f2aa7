using System.Collections.Concurrent;
using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The Compare view of a service that requires keys: the sweep's event stream and plots are fetched with the key in a header, never in a URL.</summary>
public sealed class DashboardCompareKeyTests(KeyedBrowserSession session) : IClassFixture<KeyedBrowserSession>
{
    [ChromiumFact]
    public async Task Compare_with_a_key_watches_the_sweep_and_shows_its_plots_through_headers_only()
    {
        session.Errors.Clear();
        CreatedApiKey key = await session.NewUserKeyAsync("compare user");
        IPage page = await session.NewPageAsync();
        var calls = new ConcurrentQueue<(string Url, string? Authorization)>();
        page.Request += (_, request) => calls.Enqueue((request.Url, request.Headers.TryGetValue("authorization", out string? value) ? value : null));

        await page.GotoAsync($"/#key={Uri.EscapeDataString(key.Key)}");
        await page.ClickAsync("#nav-compare");
        // Long enough (500,000 rows, 5 epochs, 2 jobs) that the page watches it run rather than reading it finished.
        await page.FillAsync("#sweep-base", """{ "dataset": { "examples": 500000 }, "training": { "epochs": 5 } }""");
        await page.FillAsync("#grid-rows .grid-row:first-child .grid-values", "0.03, 0.1");
        await page.ClickAsync("#submit-sweep");
        await Expect(page.Locator("#sweep-status")).ToHaveTextAsync("finished", new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync(
            "() => { const img = document.getElementById('sweep-losses'); return img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:') && img.dataset.src.includes('finished'); }",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });

        string id = await page.InnerTextAsync("#sweep-id");
        (string Url, string? Authorization)[] api = [.. calls.Where(c => c.Url.Contains("/api/", StringComparison.Ordinal))];
        Assert.Contains(api, c => c.Url.EndsWith($"/api/sweeps/{id}/events", StringComparison.Ordinal) && c.Authorization == $"Bearer {key.Key}");
        Assert.Contains(api, c => c.Url.Contains($"/api/sweeps/{id}/plots/losses.svg", StringComparison.Ordinal) && c.Authorization == $"Bearer {key.Key}");
        Assert.All(api, c => Assert.Equal($"Bearer {key.Key}", c.Authorization));
        Assert.DoesNotContain(calls, c => c.Url.Contains(key.Key, StringComparison.Ordinal));
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }
}
