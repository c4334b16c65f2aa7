using Microsoft.Extensions.FileProviders;

namespace LinRegService.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: static files from <c>wwwroot</c> (plain HTML, CSS and JavaScript,
/// no build step) that use only the public API, so whatever it shows a script can get too.
/// </summary>
internal static class DashboardSetup
{
    public static WebApplication UseDashboard(this WebApplication app)
    {
        IFileProvider files = Files(app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files }); // "/" → index.html
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Revalidate each time: a new version of the page is seen at once, an unchanged one costs a 304.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    /// <summary>
    /// The content root's wwwroot when it has the page (<c>dotnet run</c>, tests, a published app
    /// started in its folder), else the copy beside the assembly, so the service started from any
    /// working directory (<c>dotnet path/LinRegService.dll</c>) still serves it.
    /// </summary>
    private static IFileProvider Files(IWebHostEnvironment environment)
    {
        if (environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            return environment.WebRootFileProvider;
        }
        string beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(beside) ? new PhysicalFileProvider(beside) : environment.WebRootFileProvider;
    }
}
