namespace LinRegService.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: static files from <c>wwwroot</c> (plain HTML, CSS and JavaScript,
/// no build step) that use only the public API, so whatever it shows a script can get too.
/// </summary>
internal static class DashboardSetup
{
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.UseDefaultFiles(); // "/" → index.html
        app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate each time: a new version of the page is seen at once, an unchanged one costs a 304.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
