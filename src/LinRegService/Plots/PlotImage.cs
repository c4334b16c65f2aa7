using ScottPlot;

namespace LinRegService.Plots;

/// <summary>A plot rendered as SVG (ScottPlot's SVG export) or PNG (Skia's raster).</summary>
internal static class PlotImage
{
    public const string Svg = "svg";
    public const string Png = "png";

    public static (byte[] Bytes, string ContentType) Render(Plot plot, string format) => Render(plot, format, PlotSize.Default);

    public static (byte[] Bytes, string ContentType) Render(Plot plot, string format, PlotSize size)
    {
        if (format == Png)
        {
            return (plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png), "image/png");
        }
        string svg = plot.GetSvgXml(size.Width, size.Height)
            .Replace($"font-family=\"{PlotFonts.Family}\"", $"font-family=\"{PlotFonts.CssFamilies}\"", StringComparison.Ordinal);
        return (System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml");
    }
}
