using System.Globalization;
using System.Xml.Linq;

namespace LinRegService.Tests.Support;

/// <summary>
/// A plot's SVG as ScottPlot writes it: each marker an <c>&lt;ellipse&gt;</c>, each title, axis
/// label, tick label and legend entry a <c>&lt;text&gt;</c>.
/// </summary>
public sealed class SvgPlot
{
    private static readonly XNamespace _svg = "http://www.w3.org/2000/svg";

    private SvgPlot(XDocument document)
    {
        Document = document;
        Texts = [.. document.Descendants(_svg + "text").Select(t => t.Value.Trim())];
        Markers = document.Descendants(_svg + "ellipse").Count();
    }

    public XDocument Document { get; }

    /// <summary>Every piece of text, trimmed.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>How many markers (data points) were drawn.</summary>
    public int Markers { get; }

    /// <summary>The texts that are numbers: the tick labels.</summary>
    public IReadOnlyList<double> Numbers =>
        [.. Texts.Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? (double?)v : null)
            .Where(v => v is not null).Select(v => v!.Value)];

    public static SvgPlot Parse(string svg) => new(XDocument.Parse(svg));

    public static async Task<SvgPlot> GetAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        return Parse(body);
    }
}
