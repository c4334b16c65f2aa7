using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace LinRegService.Hosting;

/// <summary>
/// The settings files live at the repository's top level and are linked into the build output,
/// not into the project folder that `dotnet run` and the test host use as content root. This adds
/// the output folder's copies just before the content root's (which win where they exist), so
/// environment variables and command-line arguments still override it as usual.
/// </summary>
internal static class LinkedSettings
{
    public static WebApplicationBuilder AddLinkedAppSettings(this WebApplicationBuilder builder)
    {
        // appsettings.json, then appsettings.{Environment}.json (Development: Auth:Mode None), each just before the content root's own.
        Link(builder.Configuration.Sources, "appsettings.json");
        Link(builder.Configuration.Sources, $"appsettings.{builder.Environment.EnvironmentName}.json");
        return builder;
    }

    private static void Link(IList<IConfigurationSource> sources, string path)
    {
        int index = sources.Select((source, i) => (source, i))
            .Where(s => s.source is JsonConfigurationSource { Path: var p } && p == path)
            .Select(s => s.i)
            .DefaultIfEmpty(path == "appsettings.json" ? 0 : -1)
            .First();
        if (index < 0)
        {
            return; // the host reads no such file (its settings were cleared): leave it so
        }
        sources.Insert(index, new JsonConfigurationSource
        {
            Path = path,
            Optional = true,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
    }
}
