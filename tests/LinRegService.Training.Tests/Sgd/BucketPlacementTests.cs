using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// The scatter puts every row where Rao–Sandelius says, checked against a plain reference: the rows
/// read in the last order, unit by unit, each appended to the bucket its unit's stream draws for it.
/// Sixteen features take the fixed-width copy, three the general one; with the loss and without.
/// </summary>
public class BucketPlacementTests
{
    [Theory]
    [InlineData(16, 5, 1, true)]
    [InlineData(16, 5, -1, true)]
    [InlineData(16, 9, -1, false)]
    [InlineData(3, 6, -1, true)]
    [InlineData(3, 4, 1, false)]
    public void Rows_land_in_the_order_of_a_reference_scatter(int features, int bucketBits, int threads, bool withLoss)
    {
        // Two assignment units and a partial third, blocks partly filled at every bucket's end.
        int examples = (2 * RowBlocks.RowsPerBlock(features)) + 1_001;
        Dataset data = BucketShuffleTests.LabelledByIndex(examples, features);
        using PackedDataset packed = PackedDataset.From(data, bucketBits);
        var shuffle = new BucketShuffle(packed, bucketBits, threads);
        float[]? weights = withLoss ? [.. Enumerable.Range(0, features).Select(i => 0.01f * i)] : null;

        for (int epoch = 0; epoch < 3; epoch++)
        {
            List<float[]> expected = ReferenceScatter(packed, seed: 7, epoch, bucketBits);
            shuffle.Scatter<VectorStepKernel, SquaredLoss>(7, epoch, weights, 0.5f, CancellationToken.None);

            List<float[]> actual = BucketShuffleTests.Rows(packed);
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"epoch {epoch}: place {i} holds row {actual[i][features]}, the reference row {expected[i][features]}");
            }
        }
    }

    /// <summary>What the next order must be: the last order's rows in units of whole blocks, each row to the bucket its unit's stream draws.</summary>
    private static List<float[]> ReferenceScatter(PackedDataset packed, long seed, int epoch, int bucketBits)
    {
        RowLayout layout = packed.Layout;
        List<float[]> read = BucketShuffleTests.Rows(packed);
        var buckets = Enumerable.Range(0, 1 << bucketBits).Select(_ => new List<float[]>()).ToArray();
        int blocksPerUnit = BucketShuffle.BlocksPerUnit(packed.Features);
        int next = 0;
        for (int unit = 0; unit * blocksPerUnit < layout.BlockCount; unit++)
        {
            int rows = 0;
            for (int index = unit * blocksPerUnit; index < Math.Min((unit + 1) * blocksPerUnit, layout.BlockCount); index++)
            {
                rows += layout.RowsInBlock(layout.BucketOfBlock(index), index);
            }
            var rng = new XoshiroLanes(StreamKey.For(seed, StreamKey.Purpose.BucketAssignment, epoch, unit));
            uint[] ids = new uint[Vector256<uint>.Count];
            for (int r = 0; r < rows; r++)
            {
                if (r % ids.Length == 0)
                {
                    rng.Next().CopyTo(ids);
                }
                buckets[ids[r % ids.Length] >> (32 - bucketBits)].Add(read[next++]);
            }
        }
        return [.. buckets.SelectMany(bucket => bucket)];
    }
}
