using LinRegService.Training.Random;

namespace LinRegService.Training.Data;

/// <summary>Applies a spec's <see cref="DatasetOutliers"/> to the labels of consecutive generated rows.</summary>
internal static class LabelPerturbation
{
    /// <summary>Changes <paramref name="labels"/>, the labels of rows [firstRow, firstRow + labels.Length).</summary>
    public static void Apply(DatasetSpec spec, int firstRow, Span<float> labels)
    {
        if (spec.Outliers is not { } outliers)
        {
            return;
        }
        if (outliers.Fraction > 0)
        {
            ulong key = StreamKey.For(spec.Seed, StreamKey.Purpose.OutlierRows);
            for (int i = 0; i < labels.Length; i++)
            {
                if (IsShifted(key, firstRow + i, outliers.Fraction))
                {
                    labels[i] += outliers.Shift;
                }
            }
        }
        foreach (int row in outliers.Rows)
        {
            if (row >= firstRow && row - firstRow < labels.Length)
            {
                labels[row - firstRow] = outliers.Label;
            }
        }
    }

    /// <summary>Row <paramref name="row"/>'s own uniform draw in [0, 1) (SplitMix64 at that position) below the fraction.</summary>
    private static bool IsShifted(ulong key, int row, double fraction) =>
        (StreamKey.Mix(key + ((ulong)row * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53)) < fraction;
}
