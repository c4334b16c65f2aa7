using System.Globalization;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Playwright;

namespace LinRegService.Browser.Tests.Support;

/// <summary>What the dashboard tests share: jobs made through the API, and waits on what the page shows.</summary>
public static class DashboardPage
{
    /// <summary>Submits <paramref name="json"/> through the API and waits for the job to finish.</summary>
    public static async Task<Job> FinishedJobAsync(this BrowserSession session, string json = """{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""")
    {
        using HttpClient client = session.CreateClient();
        Job queued = await client.SubmitAsync(json);
        return await client.WaitForFinishAsync(queued.Id);
    }

    /// <summary>Opens the page on <paramref name="id"/> and waits until it shows <paramref name="status"/>.</summary>
    public static async Task OpenJobAsync(IPage page, string id, string status = "succeeded")
    {
        await page.GotoAsync($"/#job={id}");
        await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync(status, new() { Timeout = 30_000 });
    }

    public static async Task<double> NumberAsync(IPage page, string selector) =>
        double.Parse(await page.InnerTextAsync(selector), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Waits until the image has loaded (a broken one has no natural width) from an address containing <paramref name="version"/>.</summary>
    public static async Task WaitForImageAsync(IPage page, string selector, string version) =>
        await page.WaitForFunctionAsync(
            "([selector, version]) => { const img = document.querySelector(selector); return img.complete && img.naturalWidth > 0 && img.src.includes(version); }",
            new object[] { selector, version },
            new PageWaitForFunctionOptions { Timeout = 15_000 });
}
