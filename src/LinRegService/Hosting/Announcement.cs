using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LinRegService.Hosting;

/// <summary>Prints where the dashboard and Swagger UI are once the server listens, so `dotnet run` shows the addresses to open.</summary>
internal static class Announcement
{
    public static WebApplication AnnounceSwaggerUi(this WebApplication app)
    {
        bool swagger = app.Configuration.GetValue("Swagger:Enabled", defaultValue: true);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string>? addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (string address in addresses ?? [])
            {
                string root = address.TrimEnd('/');
                string dashboard = root + "/";
                string swaggerUi = root + "/swagger";
                app.Logger.Dashboard(dashboard);
                if (swagger)
                {
                    app.Logger.SwaggerUi(swaggerUi);
                }
            }
        });
        return app;
    }
}
