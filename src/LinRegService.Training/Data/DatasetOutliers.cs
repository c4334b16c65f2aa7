namespace LinRegService.Training.Data;

/// <summary>
/// Outlying labels, applied to the generated rows before they are ordered: a seeded fraction of
/// rows has <see cref="Shift"/> added to its label, then each of <see cref="Rows"/> (indexes in
/// generated order) gets <see cref="Label"/>. Both are decided row by row, so any row range still
/// regenerates alone.
/// </summary>
public sealed record DatasetOutliers
{
    /// <summary>Most rows that may be named one by one.</summary>
    public const int MaxRows = 1000;

    /// <summary>Rows (0-based, in generated order, distinct) whose label becomes <see cref="Label"/>.</summary>
    public IReadOnlyList<int> Rows { get; init; } = [];

    /// <summary>The label the named rows get.</summary>
    public float Label { get; init; }

    /// <summary>Share of rows (0 to 1) shifted, each row chosen from the dataset's seed alone.</summary>
    public double Fraction { get; init; }

    /// <summary>What a shifted row's label gets added.</summary>
    public float Shift { get; init; }
}
