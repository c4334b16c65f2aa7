using Microsoft.Playwright;

namespace LinRegService.Browser.Tests.Support;

/// <summary>
/// Screenshots into the test output (bin/…/screenshots). With <c>LINREG_UPDATE_SCREENSHOTS=1</c> a
/// test also refreshes the picture the README shows (docs/images); otherwise the repository is
/// left untouched, so a test run never dirties a working tree.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "LINREG_UPDATE_SCREENSHOTS";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves the full page as <paramref name="name"/>.png; returns the paths written.</summary>
    public static async Task<IReadOnlyList<string>> SaveAsync(IPage page, string name, bool forDocs = false)
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, name + ".png");
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        var written = new List<string> { path };
        if (forDocs && Environment.GetEnvironmentVariable(UpdateVariable) == "1" && RepositoryRoot() is { } root)
        {
            string docs = Path.Combine(root, "docs", "images", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            await File.WriteAllBytesAsync(docs, png);
            written.Add(docs);
        }
        return written;
    }

    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LinRegService.sln")))
            {
                return folder.FullName;
            }
        }
        return null;
    }
}
