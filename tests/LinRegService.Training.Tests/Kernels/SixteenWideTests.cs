using System.Runtime.Intrinsics;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Tests.Kernels;

/// <summary>
/// The fixed-width dot products for 16 features (one row, or four at a time) stand in for
/// <see cref="RowMath.Dot"/> in the trainer, the loss pass and the scatter: they must give its bits.
/// </summary>
public class SixteenWideTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1e-3)]   // small values: rounding in every partial sum
    [InlineData(3, 1e6)]    // large values with mixed signs: cancellation
    public void Dots_have_the_bits_of_RowMath_Dot(int seed, double scale)
    {
        if (!SixteenWide.Applies<VectorStepKernel>(SixteenWide.Features))
        {
            return; // without AVX-512 nothing takes this path (FixedWidthFeedTests asserts which path ran)
        }
        var random = new System.Random(seed);
        float Next() => (float)((random.NextDouble() - 0.5) * scale * Math.Pow(10, random.Next(-3, 4)));
        int mismatches = 0;
        for (int trial = 0; trial < 2_000; trial++)
        {
            float[] w = [.. Enumerable.Range(0, 16).Select(_ => Next())];
            float[][] rows = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 16).Select(_ => Next()).ToArray())];
            Vector512<float> weights = Vector512.Create(w);
            Vector512<float> four = SixteenWide.FourDots(Vector512.Create(rows[0]), Vector512.Create(rows[1]), Vector512.Create(rows[2]), Vector512.Create(rows[3]), weights);
            for (int r = 0; r < 4; r++)
            {
                float expected = RowMath.Dot(ref rows[r][0], ref w[0], 16);
                mismatches += BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(four.GetElement(4 * r)) ? 0 : 1;
                mismatches += BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(SixteenWide.Dot(Vector512.Create(rows[r]), weights)) ? 0 : 1;
            }
        }
        Assert.Equal(0, mismatches);
    }
}
