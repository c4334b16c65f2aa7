namespace LinRegService.Training.Tests.Support;

/// <summary>Tolerance assertions relative to a magnitude scale, and bit-exact comparisons.</summary>
internal static class Approx
{
    /// <summary>|e − a| ≤ relative·max(1, max|e|) for every element: one scale for the whole vector.</summary>
    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1;
        foreach (float value in expected)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            Assert.True(difference <= relative * scale,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (|Δ| = {difference:E3} > {relative * scale:E3}).");
        }
    }

    /// <summary>|e − a| ≤ relative·max(1, |scale|).</summary>
    public static void Equal(double expected, double actual, double relative, double scale, string what)
    {
        double difference = Math.Abs(expected - actual);
        double bound = relative * Math.Max(1, Math.Abs(scale));
        Assert.True(difference <= bound, $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {difference:E3} > {bound:E3}).");
    }

    /// <summary>Bit patterns, so that bit-identical means exactly that (−0 ≠ +0, NaN payloads count).</summary>
    public static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    /// <inheritdoc cref="Bits(float[])"/>
    public static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
}
