namespace LinRegService.Browser.Tests.Support;

/// <summary>A fact that needs Debian's Chromium: reported as skipped, with the reason, when it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Browser.ChromiumPath))
        {
            Skip = Browser.SkipReason;
        }
    }
}
