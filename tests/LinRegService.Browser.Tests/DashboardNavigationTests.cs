using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The address names the job on view: an unknown one is said so, and Back walks back through the jobs viewed.</summary>
public sealed class DashboardNavigationTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    [ChromiumFact]
    public async Task An_unknown_job_is_said_not_to_exist_and_nothing_else_is_asked_for()
    {
        session.Errors.Clear();
        IPage page = await session.NewPageAsync();

        await page.GotoAsync("/#job=nope");

        await Expect(page.Locator("#job-status")).ToHaveTextAsync("not found");
        await Expect(page.Locator("#job-error")).ToContainTextAsync("No job has the id “nope”");
        await Expect(page.Locator("#job-details")).ToBeHiddenAsync();
        await Expect(page.Locator("#job-progress-label")).ToBeHiddenAsync();
        Assert.DoesNotContain("event stream", await page.InnerTextAsync("#job-view"), StringComparison.Ordinal);
        // No stream, no plot was requested, so no image can be broken.
        string[] asked = await page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(e => e.name)");
        Assert.DoesNotContain(asked, url => url.Contains("/events", StringComparison.Ordinal) || url.Contains("/plots/", StringComparison.Ordinal));
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.images].every(i => !i.getAttribute('src') || (i.complete && i.naturalWidth > 0))"));
        // The browser reports the 404 of the job's read itself; nothing else may be logged.
        Assert.All(session.Errors, e => Assert.Contains("404", e, StringComparison.Ordinal));
        Assert.All(session.Errors, e => Assert.Contains("/api/jobs/nope", e, StringComparison.Ordinal));

        // A typed address moves to a job that exists.
        Job job = await session.FinishedJobAsync();
        await page.EvaluateAsync("id => { location.hash = '#job=' + id; }", job.Id);
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("#job-error")).ToBeHiddenAsync();
    }

    [ChromiumFact]
    public async Task Back_walks_back_through_the_jobs_viewed()
    {
        session.Errors.Clear();
        Job first = await session.FinishedJobAsync();
        Job second = await session.FinishedJobAsync("""{ "dataset": { "seed": 43 }, "training": { "seed": 8 } }""");
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/");
        ILocator shown = page.Locator("#job-id");

        await page.ClickAsync($"#job-list button[title='{first.Id}']");
        await Expect(shown).ToHaveTextAsync(first.Id);
        await page.ClickAsync($"#job-list button[title='{second.Id}']");
        await Expect(shown).ToHaveTextAsync(second.Id);
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded");

        await page.GoBackAsync();
        await Expect(shown).ToHaveTextAsync(first.Id);
        Assert.EndsWith($"#job={first.Id}", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("#job-list tr.selected button")).ToHaveAttributeAsync("title", first.Id);

        await page.GoBackAsync();
        await Expect(page.Locator("#job-view")).ToBeHiddenAsync();

        await page.GoForwardAsync();
        await Expect(shown).ToHaveTextAsync(first.Id);
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }
}
