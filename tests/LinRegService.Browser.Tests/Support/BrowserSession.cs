using LinRegService.Tests.Support;
using Microsoft.Playwright;

namespace LinRegService.Browser.Tests.Support;

/// <summary>
/// The service on a real loopback socket (Kestrel, as a browser needs) with its own SQLite file,
/// one Chromium, and every console error and page error of the pages opened, for the test to
/// assert there were none. One per test class (an <see cref="IClassFixture{TFixture}"/>).
/// Derive and override <see cref="Settings"/> for a service with other settings.
/// </summary>
public class BrowserSession : IAsyncLifetime, IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private ServiceFactory? _service;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where the service listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Console messages of type error (Content-Security-Policy violations included) and uncaught page errors, with where they came from.</summary>
    public List<string> Errors { get; } = [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(Browser.ChromiumPath))
        {
            return; // every test here is skipped
        }
        _service = new ServiceFactory(_directory.ConnectionString, Settings);
        _service.UseKestrel(port: 0);
        _service.StartServer();
        using (HttpClient client = _service.CreateClient())
        {
            Address = client.BaseAddress!;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await Browser.LaunchAsync(_playwright);
    }

    /// <summary>A new page in a fresh context, its console errors collected into <see cref="Errors"/>.</summary>
    /// <param name="viewport">The window's size; 1400 × 1000 when null.</param>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        IBrowserContext context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        // Every Content-Security-Policy violation becomes a console error, caught below with the others.
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
            """);
        IPage page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page error: {error}");
        return page;
    }

    /// <summary>Settings of the service on top of the test host's defaults (which run it without keys).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>A plain HTTP client of the same service, to check what the page showed.</summary>
    public HttpClient CreateClient() => _service!.CreateClient();

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return new(DisposeAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        _directory.Dispose();
    }
}
