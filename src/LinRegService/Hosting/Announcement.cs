using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LinRegService.Hosting;

/// <summary>Prints where Swagger UI is once the server listens, so `dotnet run` shows the address to open.</summary>
internal static class Announcement
{
    public static WebApplication AnnounceSwaggerUi(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Swagger:Enabled", defaultValue: true))
        {
            return app;
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string>? addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (string address in addresses ?? [])
            {
                string url = address.TrimEnd('/') + "/swagger";
                app.Logger.SwaggerUi(url);
            }
        });
        return app;
    }
}
