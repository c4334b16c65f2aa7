namespace LinRegService.Plots;

/// <summary>
/// The plots' typeface, DejaVu Sans, shipped beside the service (Plots/Fonts): SkiaSharp's
/// dependency-free native build reads no fontconfig, and on a machine without fonts it would draw
/// plots without a single title, label or tick.
/// </summary>
internal static class PlotFonts
{
    public const string Family = "DejaVu Sans";

    /// <summary>What an SVG viewer falls back to when it lacks DejaVu Sans (Verdana has about its widths).</summary>
    public const string CssFamilies = "'DejaVu Sans', Verdana, sans-serif";

    private static readonly Lazy<bool> _registered = new(Register);

    /// <summary>Registers the bundled font with ScottPlot once per process (ScottPlot's font list is static).</summary>
    public static void EnsureRegistered() => _ = _registered.Value;

    private static bool Register()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Plots", "Fonts");
        ScottPlot.Fonts.AddFontFile(Family, Path.Combine(folder, "DejaVuSans.ttf"), bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
        ScottPlot.Fonts.Default = Family;
        return true;
    }
}
