using ScottPlot;

namespace LinRegService.Plots;

/// <summary>What every plot shares: size, font, a title and axis labels.</summary>
internal static class PlotStyle
{
    public const int Width = 720;
    public const int Height = 440;

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        plot.Font.Set(PlotFonts.Family);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Invariant culture: a tick reads "0.5" on any server.</summary>
    public static string Number(double value, string format = "G3") =>
        value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
