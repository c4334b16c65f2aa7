using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace LinRegService.Hosting;

/// <summary>
/// The settings file lives at the repository's top level and is linked into the build output,
/// not into the project folder that `dotnet run` and the test host use as content root. This adds
/// the output folder's copy just before the content root's (which wins where it exists), so
/// environment variables and command-line arguments still override it as usual.
/// </summary>
internal static class LinkedSettings
{
    public static WebApplicationBuilder AddLinkedAppSettings(this WebApplicationBuilder builder)
    {
        IList<IConfigurationSource> sources = builder.Configuration.Sources;
        int index = sources.Select((source, i) => (source, i))
            .Where(s => s.source is JsonConfigurationSource { Path: "appsettings.json" })
            .Select(s => s.i)
            .DefaultIfEmpty(0)
            .First();
        sources.Insert(index, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
        return builder;
    }
}
