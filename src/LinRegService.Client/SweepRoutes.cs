namespace LinRegService.Client;

/// <summary>The sweep paths, relative like <see cref="JobRoutes"/>'s (no leading slash).</summary>
internal static class SweepRoutes
{
    public const string Sweeps = "api/sweeps";

    public static string Sweep(string id) => $"{Sweeps}/{Uri.EscapeDataString(id)}";

    public static string Cancel(string id) => $"{Sweep(id)}/cancel";

    public static string Events(string id) => $"{Sweep(id)}/events";

    public static string List(int? limit, string? cursor, string? owner) => Sweeps + JobRoutes.Query(
        ("limit", JobRoutes.Number(limit)),
        ("cursor", cursor),
        ("owner", owner));
}
