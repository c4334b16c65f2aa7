using System.Globalization;
using System.Text.Json;
using LinRegService.Contracts;

namespace LinRegService.Client;

/// <summary>
/// The service's paths, relative (no leading slash) so a base address with a path prefix such
/// as <c>http://gateway/linreg/</c> works.
/// </summary>
internal static class JobRoutes
{
    public const string Jobs = "api/jobs";

    public static string Job(string id) => $"{Jobs}/{Uri.EscapeDataString(id)}";

    public static string Cancel(string id) => $"{Job(id)}/cancel";

    public static string Events(string id) => $"{Job(id)}/events";

    public static string Predict(string id) => $"{Job(id)}/predict";

    public static string List(JobStatus? status, int? limit, string? cursor) => Jobs + Query(
        ("status", status is { } s ? StatusWord(s) : null),
        ("limit", Number(limit)),
        ("cursor", cursor));

    public static string Samples(string id, int offset, int? count) => $"{Job(id)}/samples" + Query(
        ("offset", Number(offset)),
        ("count", Number(count)));

    /// <summary>The status as the contract writes it ("succeeded"): the converter's own naming policy, so the two cannot differ.</summary>
    public static string StatusWord(JobStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        string[] pairs = [.. parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")];
        return pairs.Length == 0 ? "" : "?" + string.Join('&', pairs);
    }
}
