using Microsoft.Playwright;

namespace LinRegService.Browser.Tests.Support;

/// <summary>
/// Headless Chromium through Playwright: Debian's build at <see cref="ChromiumPath"/> (Playwright's
/// own browser download cannot work here), with the flags a machine without a display, a sandbox
/// or outside network needs.
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string SkipReason = "Chromium not found at " + ChromiumPath + " (apt-get install chromium)";

    private static readonly string[] _arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        // Without it Chromium keeps trying to resolve outside hosts; only the loopback service is reachable.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = _arguments,
        });
}
