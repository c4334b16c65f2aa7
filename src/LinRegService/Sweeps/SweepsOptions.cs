using System.ComponentModel.DataAnnotations;

namespace LinRegService.Sweeps;

/// <summary>Settings of sweeps (section <c>Sweeps</c>).</summary>
public sealed class SweepsOptions
{
    public const string Section = "Sweeps";

    /// <summary>Most jobs (grid points) one sweep may have.</summary>
    [Range(1, 1000)]
    public int MaxJobs { get; set; } = 64;
}

/// <summary>Checks the <c>Sweeps</c> settings with code generated at build time from their attributes.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class SweepsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SweepsOptions>;
