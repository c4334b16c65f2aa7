using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinRegService.Hosting;

/// <summary>
/// The contract's JSON: camelCase (matched case-insensitively), enums as lower-case strings,
/// unknown fields rejected (a misspelt "learningRat" is a 400, not a silently used default), and
/// numbers only as JSON numbers ("10" in quotes is a 400). The MVC options are set too because
/// the OpenAPI generator reads its schemas from them.
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
        options.NumberHandling = JsonNumberHandling.Strict;
    }
}
