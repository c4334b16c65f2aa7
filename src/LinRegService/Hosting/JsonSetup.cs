using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinRegService.Hosting;

/// <summary>
/// The contract's JSON: camelCase, enums as lower-case strings, and unknown fields rejected (a
/// misspelt "learningrate" is a 400, not a silently used default). The MVC options are set too
/// because the OpenAPI generator reads its schemas from them.
/// </summary>
internal static class JsonSetup
{
    public static IServiceCollection AddServiceJson(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => Apply(options.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options => Apply(options.JsonSerializerOptions));
        return services;
    }

    private static void Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
