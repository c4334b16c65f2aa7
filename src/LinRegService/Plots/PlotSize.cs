using System.Globalization;

namespace LinRegService.Plots;

/// <summary>
/// A plot's size in pixels from the optional <c>width</c> and <c>height</c> query parameters, so a
/// page can ask for the size it shows (a phone's narrow column gets text it can read, not a
/// 720-pixel picture scaled down).
/// </summary>
internal readonly record struct PlotSize(int Width, int Height)
{
    public const int MinWidth = 200;
    public const int MaxWidth = 2000;
    public const int MinHeight = 150;
    public const int MaxHeight = 1500;

    public static PlotSize Default { get; } = new(PlotStyle.Width, PlotStyle.Height);

    /// <summary>The size asked for, the default for what is left out; errors name each bad parameter.</summary>
    public static (PlotSize Size, Dictionary<string, string[]> Errors) Read(int? width, int? height) => Read(width, height, Default);

    /// <summary>As above, with the size of a plot that needs more room than most (a sweep's legend).</summary>
    public static (PlotSize Size, Dictionary<string, string[]> Errors) Read(int? width, int? height, PlotSize fallback)
    {
        var errors = new Dictionary<string, string[]>();
        int w = Parse("width", width, fallback.Width, MinWidth, MaxWidth, errors);
        int h = Parse("height", height, fallback.Height, MinHeight, MaxHeight, errors);
        return (new PlotSize(w, h), errors);
    }

    private static int Parse(string name, int? given, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (given is not { } value)
        {
            return fallback;
        }
        if (value >= min && value <= max)
        {
            return value;
        }
        errors[name] = [$"{name} must be a whole number of pixels from {min} to {max}; got {value}."];
        return fallback;
    }

    /// <summary>For ETags: "720x440".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
