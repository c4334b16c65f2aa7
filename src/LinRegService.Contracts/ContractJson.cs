using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinRegService.Contracts;

/// <summary>
/// The contract's JSON, one definition for the service and its clients so they cannot drift:
/// camelCase names (read case-insensitively), enums as lower-case strings ("succeeded"), and
/// numbers only as JSON numbers ("10" in quotes is not a number).
/// </summary>
/// <remarks>
/// Unknown members are not rejected here: the contract grows by adding fields, so a client must
/// read a newer service's answers. The service rejects unknown members of requests on top of this.
/// </remarks>
public static class ContractJson
{
    /// <summary>Ready-made, read-only options with the contract's JSON.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Applies the contract's JSON to <paramref name="options"/> (e.g. the framework's own, which start from web defaults).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        JsonSerializerOptions options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
