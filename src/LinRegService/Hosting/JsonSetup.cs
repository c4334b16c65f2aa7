using System.Text.Json;
using System.Text.Json.Serialization;
using LinRegService.Contracts;

namespace LinRegService.Hosting;

/// <summary>
/// The contract's JSON (<see cref="ContractJson"/>, shared with the client: camelCase matched
/// case-insensitively, enums as lower-case strings, numbers only as JSON numbers, so "10" in
/// quotes is a 400), and on top of it unknown and duplicate fields rejected: a misspelt
/// "learningRat" is a 400, not a silently used default. The MVC options are set too because the OpenAPI generator reads
/// its schemas from them.
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
        ContractJson.Configure(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // "bias" twice (or "bias" and "Bias") is ambiguous; last-wins would silently pick one.
        options.AllowDuplicateProperties = false;
    }
}
