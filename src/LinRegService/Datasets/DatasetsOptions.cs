using System.ComponentModel.DataAnnotations;

namespace LinRegService.Datasets;

/// <summary>Limits of one CSV upload (section <c>Datasets</c>); over one, the upload is a 413 naming it and nothing is stored.</summary>
public sealed class DatasetsOptions
{
    public const string Section = "Datasets";

    /// <summary>Bytes of one upload's body (the CSV, or the multipart body that carries it): 512 MiB.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Data rows of one dataset: the training limit on examples (50,000,000).</summary>
    [Range(typeof(long), "1", "2147483647")]
    public long MaxRows { get; set; } = 50_000_000;

    /// <summary>Columns of one dataset: the features limit (4096) and the label.</summary>
    [Range(2, 1_000_000)]
    public int MaxColumns { get; set; } = 4097;
}

/// <summary>Checks the <c>Datasets</c> settings with code generated at build time from their attributes.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class DatasetsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<DatasetsOptions>;
