using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>
/// Swagger UI of a service that requires keys, in headless Chromium: "Try it out" without a key is
/// a 401; after "Authorize" with a key, the same call is the caller's own answer.
/// </summary>
public sealed class SwaggerAuthorizeTests(KeyedBrowserSession session, ITestOutputHelper output) : IClassFixture<KeyedBrowserSession>
{
    private static readonly LocatorAssertionsToHaveTextOptions _wait = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task Authorize_with_a_key_turns_a_401_into_the_callers_own_answer()
    {
        CreatedApiKey key = await session.NewUserKeyAsync("swagger user");
        IPage page = await session.NewPageAsync();
        await page.GotoAsync("/swagger");
        ILocator me = page.Locator("#operations-Keys-GetCallerKey");
        await me.Locator(".opblock-summary").ClickAsync();
        await me.Locator(".try-out__btn").ClickAsync();
        ILocator status = me.Locator(".live-responses-table tbody td.response-col_status");

        await me.Locator("button.execute").ClickAsync();
        await Expect(status).ToHaveTextAsync("401", _wait);

        // The padlock: the document's Bearer scheme on the operations that need a key, none on the health endpoints.
        Assert.True(await me.Locator(".authorization__btn").CountAsync() > 0, "no padlock on GET /api/keys/me");
        Assert.Equal(0, await page.Locator("#operations-Health-Live .authorization__btn").CountAsync());
        await page.Locator("button.btn.authorize").First.ClickAsync();
        ILocator dialog = page.Locator(".modal-ux");
        await dialog.Locator("input").First.FillAsync(key.Key);
        await dialog.Locator("button.authorize").ClickAsync();
        await dialog.Locator("button.btn-done").ClickAsync();
        await me.Locator("button.execute").ClickAsync();

        await Expect(status).ToHaveTextAsync("200", _wait);
        string answer = await me.Locator(".live-responses-table tbody td.response-col_description").InnerTextAsync();
        Assert.Contains($"\"id\": \"{key.Id}\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"role\": \"user\"", answer, StringComparison.Ordinal);
        foreach (string path in await Screenshots.SaveAsync(page, "swagger-ui-authorized"))
        {
            output.WriteLine($"screenshot: {path}");
        }
    }
}
