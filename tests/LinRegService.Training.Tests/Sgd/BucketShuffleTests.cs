using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>The bucketed scatter moves every row, whole, to exactly one place: a permutation.</summary>
public class BucketShuffleTests
{
    private const int Features = 3;

    /// <summary>Rows per assignment block for three features (65 536): each block has its own stream.</summary>
    private static readonly int _blockRows = RowBlocks.RowsPerBlock(Features);

    [Theory]
    [InlineData(2, 1234, 4, 1)]  // three assignment blocks, the last one partial
    [InlineData(2, 1234, 4, -1)]
    [InlineData(0, 1000, 1, -1)] // one partial block, two buckets
    public void Scatter_places_every_row_exactly_once_with_its_label(int fullBlocks, int extraRows, int bucketBits, int threads)
    {
        int examples = (fullBlocks * _blockRows) + extraRows;
        Dataset data = LabelledByIndex(examples);
        using var shuffle = new BucketShuffle(data, bucketBits, threads);

        shuffle.Scatter<VectorStepKernel, SquaredLoss>(seed: 1, epoch: 0, lossWeights: null, lossBias: 0f, CancellationToken.None);

        Span<float> packed = shuffle.Packed.Slice(0, examples * (Features + 1));
        bool[] seen = new bool[examples];
        for (int position = 0; position < examples; position++)
        {
            Span<float> row = packed.Slice(position * (Features + 1), Features + 1);
            int index = (int)row[Features];
            Assert.False(seen[index], $"row {index} placed twice");
            seen[index] = true;
            Assert.Equal(data.Row(index).ToArray(), row[..Features].ToArray());
        }
        Assert.Equal(examples, shuffle.BucketStart(shuffle.BucketCount - 1) + shuffle.BucketSize(shuffle.BucketCount - 1));
        Assert.Equal(0, shuffle.BucketStart(0));
    }

    [Fact]
    public void Scatter_with_loss_weights_returns_the_sum_of_squared_residuals()
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1f, -2f, 0.5f], 0.3f, (2 * _blockRows) + 999, 0.1f, 1f, Seed: 2));
        float[] weights = [0.9f, -1.9f, 0.4f];
        using var shuffle = new BucketShuffle(data, 3, -1);

        double sum = shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 1, weights, 0.25f, CancellationToken.None);

        // Same fixed blocks, each summed in row order, added in block order: exactly equal.
        double expected = 0;
        for (int first = 0; first < data.Examples; first += _blockRows)
        {
            expected += LossPass.SumOfSquares<VectorStepKernel>(data, weights, 0.25f, first, Math.Min(_blockRows, data.Examples - first));
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(sum));
        Assert.True(sum > 0);
    }

    [Fact]
    public void Different_epochs_scatter_differently()
    {
        Dataset data = LabelledByIndex(5_000);
        using var shuffle = new BucketShuffle(data, 2, -1);

        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);
        float[] first = Labels(shuffle, data.Examples);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 1, null, 0f, CancellationToken.None);
        float[] second = Labels(shuffle, data.Examples);

        Assert.NotEqual(first, second);
    }

    private static float[] Labels(BucketShuffle shuffle, int examples)
    {
        Span<float> packed = shuffle.Packed.Slice(0, examples * (Features + 1));
        float[] labels = new float[examples];
        for (int i = 0; i < examples; i++)
        {
            labels[i] = packed[(i * (Features + 1)) + Features];
        }
        return labels;
    }

    /// <summary>Label i = i (exact in float32 below 2²⁴) and features derived from i, so a row is recognisable.</summary>
    private static Dataset LabelledByIndex(int examples)
    {
        float[] features = new float[examples * Features];
        float[] labels = new float[examples];
        for (int i = 0; i < examples; i++)
        {
            labels[i] = i;
            for (int j = 0; j < Features; j++)
            {
                features[(i * Features) + j] = (i * 0.5f) + j;
            }
        }
        return new Dataset(features, labels, Features);
    }
}
