using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Kernels;

/// <summary>
/// The feed takes four rows at a time within a minibatch (docs/training.md). It must give the bits
/// of one row at a time: the same fused multiply-adds per gradient element, in the same row order.
/// </summary>
public class FourRowFeedTests
{
    public static TheoryData<int> Lengths() => [1, 2, 7, 8, 15, 16, 17, 31, 64, 100, 256, 257];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddScaled4_has_the_bits_of_four_AddScaled(int length)
    {
        var random = new System.Random(length);
        float[][] x = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())];
        float[] a = [0.37f, -1.9f, 0.0031f, 12.5f];
        float[] one = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble())];
        float[] four = [.. one];

        for (int k = 0; k < 4; k++)
        {
            VectorStepKernel.AddScaled(ref one[0], ref x[k][0], a[k], length);
        }
        VectorStepKernel.AddScaled4(ref four[0], ref x[0][0], a[0], ref x[1][0], a[1], ref x[2][0], a[2], ref x[3][0], a[3], length);

        Assert.Equal(one, four);
    }

    [Theory]
    [InlineData(16, 256, 3, 1000)]
    [InlineData(16, 7, 5, 999)]
    [InlineData(256, 128, 2, 515)]
    [InlineData(3, 2, 1, 101)]
    public void Feeding_four_rows_at_a_time_has_the_bits_of_one_at_a_time(int features, int batch, int slices, int rows)
    {
        var spec = new DatasetSpec([.. Enumerable.Range(0, features).Select(i => (float)Math.Sin(i))], 1f, rows, 0.01f, 1f, 5);
        float[] packed = PackedRows.Pack(DatasetGenerator.Generate(spec));
        var random = new System.Random(features);
        int[] order = [.. Enumerable.Range(0, rows).OrderBy(_ => random.Next())];
        // The general feed at every width (16 features would otherwise take the fixed-width one, FixedWidthFeedTests).
        var options = new TrainingOptions { BatchSize = batch, LearningRate = 0.1f / features };
        var together = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[features], 0f, options, fixedWidth: false);
        var alone = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[features], 0f, options, fixedWidth: false);

        // Slices of uneven lengths, as the epoch runner cuts them, so quads meet batch ends and slice ends anywhere.
        int start = 0;
        for (int s = 0; s < slices; s++)
        {
            int end = s == slices - 1 ? rows : start + (rows / slices) + s;
            together.Feed(ref packed[0], order.AsSpan(start, end - start), 0);
            start = end;
        }
        foreach (int position in order)
        {
            alone.Feed(ref packed[0], [position], 0); // a slice of one row never takes the four-row path
        }
        together.FinishEpoch();
        alone.FinishEpoch();

        Assert.Equal(alone.Weights, together.Weights);
        Assert.Equal(alone.Bias, together.Bias);
    }
}
