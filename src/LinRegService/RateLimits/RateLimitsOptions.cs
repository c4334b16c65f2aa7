using System.ComponentModel.DataAnnotations;

namespace LinRegService.RateLimits;

/// <summary>
/// Requests per second per key (section <c>RateLimits</c>): one token bucket for submissions, one for
/// every other <c>/api</c> call, each holding <see cref="BurstSeconds"/> seconds' worth; 0 is unlimited.
/// </summary>
public sealed class RateLimitsOptions
{
    public const string Section = "RateLimits";

    /// <summary>A bucket holds this many seconds of its rate: a client may burst, not sustain more.</summary>
    public const int BurstSeconds = 5;

    /// <summary>Submissions (<c>POST /api/jobs</c>) per second per key.</summary>
    [Range(0, 1_000_000)]
    public double SubmitsPerSecond { get; set; } = 20;

    /// <summary>Every other <c>/api</c> call per second per key.</summary>
    [Range(0, 1_000_000)]
    public double ReadsPerSecond { get; set; } = 200;
}

/// <summary>Checks the <c>RateLimits</c> settings with code generated at build time from their attributes.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class RateLimitsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RateLimitsOptions>;
