using System.Globalization;

namespace LinRegService.Tests.Support;

/// <summary>Reads a <c>/metrics</c> answer (Prometheus's text format) the way a scraper would, for tests without a Prometheus server.</summary>
public static class PrometheusText
{
    /// <summary>The sum of every series of <paramref name="metric"/> (all its label sets); 0 when it has none.</summary>
    public static double Sum(string exposition, string metric) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture));

    /// <summary>Whether any series of <paramref name="metric"/> is exposed.</summary>
    public static bool Has(string exposition, string metric) =>
        exposition.Split('\n').Any(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal));
}
