using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Kernels;

/// <summary>
/// The fixed-width dot products for 16 features (one row, or four at a time) stand in for
/// <see cref="RowMath.Dot"/> in the trainer, the loss pass and the scatter: they must give its bits.
/// </summary>
public class SixteenWideTests
{
    [Avx512Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1e-3)]   // small values: rounding in every partial sum
    [InlineData(3, 1e6)]    // large values with mixed signs: cancellation
    public void Dots_have_the_bits_of_RowMath_Dot(int seed, double scale)
    {
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

    /// <summary>
    /// The loss pass over packed rows and the scatter's loss take the fixed-width dot products; the
    /// loss over a <see cref="Dataset"/> keeps <see cref="RowMath.Dot"/>. Over the same units in the
    /// same order they must agree to the bit.
    /// </summary>
    [Fact]
    public void Losses_over_packed_rows_and_while_scattering_have_the_bits_of_the_general_loss()
    {
        // Two assignment units and a partial third; a row count that is not a multiple of four.
        int rows = (2 * RowBlocks.RowsPerBlock(SixteenWide.Features)) + 1_001;
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([.. Enumerable.Range(0, SixteenWide.Features).Select(i => (float)Math.Cos(i))], 0.3f, rows, 0.2f, 1f, Seed: 4));
        float[] weights = [.. Enumerable.Range(0, SixteenWide.Features).Select(i => (float)Math.Cos(i) - 0.01f)];
        using PackedDataset packed = PackedDataset.From(data, 3);

        double general = LossPass.Mean<VectorStepKernel, HuberLoss>(data, weights, 0.25f, 0.1f, -1, CancellationToken.None);
        double inOrder = LossPass.Mean<VectorStepKernel, HuberLoss>(packed, weights, 0.25f, 0.1f, -1, CancellationToken.None);
        var shuffle = new BucketShuffle(packed, 3, -1, lossDelta: 0.1f);
        double scattered = shuffle.Scatter<VectorStepKernel, HuberLoss>(1, 0, weights, 0.25f, CancellationToken.None);
        double shuffled = LossPass.Mean<VectorStepKernel, HuberLoss>(packed, weights, 0.25f, 0.1f, -1, CancellationToken.None);
        double scatteredAgain = shuffle.Scatter<VectorStepKernel, HuberLoss>(1, 1, weights, 0.25f, CancellationToken.None);

        // The same units in dataset order: the fixed-width and the general dot products give the same sum.
        Assert.Equal(BitConverter.DoubleToInt64Bits(general), BitConverter.DoubleToInt64Bits(inOrder));
        // The first scatter and the pass over shuffled blocks sum other units: near, not to the bit; the
        // next scatter reads the units that pass read, in its order, and must match it to the bit.
        Assert.Equal(general, scattered / (2.0 * rows), 12);
        Assert.Equal(general, shuffled, 12);
        Assert.Equal(BitConverter.DoubleToInt64Bits(shuffled), BitConverter.DoubleToInt64Bits(scatteredAgain / (2.0 * rows)));
        Assert.True(general > 0);
    }
}
