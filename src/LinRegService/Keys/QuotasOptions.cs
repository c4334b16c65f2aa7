using System.ComponentModel.DataAnnotations;
using LinRegService.Contracts;

namespace LinRegService.Keys;

/// <summary>
/// The limits of a key that sets none of its own (section <c>Quotas</c>; a key's overrides win field
/// by field). Stored and shown per key; enforcing them is the submissions' part.
/// </summary>
public sealed class QuotasOptions
{
    public const string Section = "Quotas";

    /// <summary>Jobs queued or running at once.</summary>
    [Range(0, 1_000_000)]
    public int MaxActiveJobs { get; set; } = 10;

    /// <summary>Examples × features of one job (the engine's own limit, <c>Jobs:Limits:MaxValues</c>, by default).</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxJobValues { get; set; } = 268_435_456;

    /// <summary>Examples × features × epochs of one job: 2^40, hours of one core.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxJobWork { get; set; } = 1L << 40;

    /// <summary>Bytes a key's stored jobs may take: 1 GiB.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxStoredBytes { get; set; } = 1L << 30;

    /// <summary>Stored float32 bytes of one uploaded dataset: 1 GiB (a key may have its own); a call without a key has no such quota.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxDatasetBytes { get; set; } = 1L << 30;

    /// <summary>The limits of a key with <paramref name="overrides"/>: each override, else the default here.</summary>
    public ApiKeyQuotas For(ApiKeyQuotaOverrides overrides) => new(
        overrides.MaxActiveJobs ?? MaxActiveJobs,
        overrides.MaxJobValues ?? MaxJobValues,
        overrides.MaxJobWork ?? MaxJobWork,
        overrides.MaxStoredBytes ?? MaxStoredBytes,
        overrides.MaxDatasetBytes ?? MaxDatasetBytes);
}

/// <summary>Checks the <c>Quotas</c> settings with code generated at build time from their attributes.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class QuotasOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<QuotasOptions>;
