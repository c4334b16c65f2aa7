using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// The bucketed scatter moves every row, whole, to exactly one place (a permutation), epoch after
/// epoch in the one copy of the rows, giving back every block it read; its order does not depend
/// on threads, nor on a scatter working ahead behind the trainer.
/// </summary>
public class BucketShuffleTests
{
    private const int Features = 3;

    /// <summary>Rows per assignment unit for three features (about 65 536): each unit has its own stream.</summary>
    private static readonly int _unitRows = RowBlocks.RowsPerBlock(Features);

    [Theory]
    [InlineData(2, 1234, 4, 1)]  // three units, the last one partial
    [InlineData(2, 1234, 4, -1)]
    [InlineData(0, 1000, 1, -1)] // one partial unit, two buckets
    [InlineData(3, 77, 6, -1)]   // 64 buckets, several empty-ish ones
    public void Scatter_places_every_row_exactly_once_with_its_label_epoch_after_epoch(int fullUnits, int extraRows, int bucketBits, int threads)
    {
        int examples = (fullUnits * _unitRows) + extraRows;
        Dataset data = LabelledByIndex(examples);
        using PackedDataset packed = PackedDataset.From(data, bucketBits);
        var shuffle = new BucketShuffle(packed, bucketBits, threads);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            shuffle.Scatter<VectorStepKernel, SquaredLoss>(seed: 1, epoch, lossWeights: null, lossBias: 0f, CancellationToken.None);

            RowLayout layout = packed.Layout;
            Assert.Equal(1 << bucketBits, layout.BucketCount);
            Assert.Equal(examples, layout.Examples);
            bool[] seen = new bool[examples];
            foreach (float[] row in Rows(packed))
            {
                int index = (int)row[Features];
                Assert.False(seen[index], $"row {index} placed twice");
                seen[index] = true;
                Assert.Equal(data.Row(index).ToArray(), row[..Features]);
            }
            // Every block read went back: the arena holds just this order's blocks.
            Assert.Equal(packed.Arena.CapacityBlocks - layout.BlockCount, packed.Arena.FreeBlocks);
            Assert.Equal(layout.BlockCount, layout.Blocks.AsSpan(0, layout.BlockCount).ToArray().Distinct().Count());
        }
    }

    [Fact]
    public void The_order_does_not_depend_on_the_number_of_threads()
    {
        Dataset data = LabelledByIndex((4 * _unitRows) + 321);
        float[][] one = ScatterTwice(data, threads: 1);
        float[][] all = ScatterTwice(data, threads: -1);

        Assert.Equal(one.Select(r => r[Features]), all.Select(r => r[Features]));
    }

    [Fact]
    public void A_scatter_working_behind_the_trainer_gives_the_order_of_a_plain_one()
    {
        Dataset data = LabelledByIndex((5 * _unitRows) + 99);
        const int Bits = 5;
        float[][] plain = ScatterTwice(data, threads: -1);

        using PackedDataset packed = PackedDataset.From(data, Bits);
        var shuffle = new BucketShuffle(packed, Bits, -1);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);
        // The "trainer" releases one bucket at a time; the scatter may read only buckets it has passed.
        int trained = 0;
        BucketShuffle.SharedScatter ahead = shuffle.BeginScatter<VectorStepKernel, SquaredLoss>(1, 1, null, 0f, () => Volatile.Read(ref trained), CancellationToken.None);
        for (int bucket = 1; bucket <= 1 << Bits; bucket++)
        {
            Volatile.Write(ref trained, bucket);
            Thread.Yield();
        }
        ahead.Complete();

        Assert.Equal(plain.Select(r => r[Features]), Rows(packed).Select(r => r[Features]));
    }

    [Fact]
    public void A_scatter_waiting_for_training_that_never_comes_ends_when_quiesced()
    {
        Dataset data = LabelledByIndex((2 * _unitRows) + 5);
        using PackedDataset packed = PackedDataset.From(data, 3);
        var shuffle = new BucketShuffle(packed, 3, -1);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);

        BucketShuffle.SharedScatter ahead = shuffle.BeginScatter<VectorStepKernel, SquaredLoss>(1, 1, null, 0f, () => 0, CancellationToken.None);

        ahead.Quiesce(); // returns: the waiting background part gave up
    }

    [Fact]
    public void Scatter_with_loss_weights_returns_the_sum_of_twice_the_losses_over_the_rows_it_read()
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1f, -2f, 0.5f], 0.3f, (2 * _unitRows) + 999, 0.1f, 1f, Seed: 2));
        float[] weights = [0.9f, -1.9f, 0.4f];
        using PackedDataset packed = PackedDataset.From(data, 3);
        var shuffle = new BucketShuffle(packed, 3, -1);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);
        double before = LossPass.Mean<VectorStepKernel, SquaredLoss>(packed, weights, 0.25f, 1f, -1, CancellationToken.None);

        double sum = shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 1, weights, 0.25f, CancellationToken.None);

        // The same rows summed in the same units of the same order as the loss pass over it.
        Assert.Equal(BitConverter.DoubleToInt64Bits(before), BitConverter.DoubleToInt64Bits(sum / (2.0 * data.Examples)));
        Assert.Equal(LossPass.Mean<VectorStepKernel>(data, weights, 0.25f, -1, CancellationToken.None), before, 12);
    }

    [Fact]
    public void Different_epochs_scatter_differently()
    {
        Dataset data = LabelledByIndex(5_000);
        using PackedDataset packed = PackedDataset.From(data, 2);
        var shuffle = new BucketShuffle(packed, 2, -1);

        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);
        float[] first = [.. Rows(packed).Select(r => r[Features])];
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 1, null, 0f, CancellationToken.None);
        float[] second = [.. Rows(packed).Select(r => r[Features])];

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Every_row_lands_in_every_bucket_about_equally_often()
    {
        // Row 0's bucket over 4000 epochs of 8 buckets: a chi-square with 7 degrees of freedom stays
        // below 24.3 (p = 0.001) for a uniform choice; a bias towards its old place would show.
        Dataset data = LabelledByIndex(20_000);
        using PackedDataset packed = PackedDataset.From(data, 3);
        var shuffle = new BucketShuffle(packed, 3, -1);
        int[] hits = new int[8];
        const int Epochs = 4000;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            shuffle.Scatter<VectorStepKernel, SquaredLoss>(9, epoch, null, 0f, CancellationToken.None);
            RowLayout layout = packed.Layout;
            for (int bucket = 0; bucket < layout.BucketCount; bucket++)
            {
                for (int p = 0; p < layout.BucketSize(bucket); p++)
                {
                    if (System.Runtime.CompilerServices.Unsafe.Add(ref packed.Slot(layout.Slot(bucket, p)), Features) == 0f)
                    {
                        hits[bucket]++;
                    }
                }
            }
        }
        double expected = Epochs / 8.0;
        double chiSquare = hits.Sum(h => (h - expected) * (h - expected) / expected);
        Assert.True(chiSquare < 24.3, $"chi-square {chiSquare:F1} over [{string.Join(", ", hits)}]");
    }

    private static float[][] ScatterTwice(Dataset data, int threads)
    {
        const int Bits = 5;
        using PackedDataset packed = PackedDataset.From(data, Bits);
        var shuffle = new BucketShuffle(packed, Bits, threads);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 0, null, 0f, CancellationToken.None);
        shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, 1, null, 0f, CancellationToken.None);
        return [.. Rows(packed)];
    }

    /// <summary>The rows in the layout's order, bucket after bucket.</summary>
    internal static List<float[]> Rows(PackedDataset packed)
    {
        RowLayout layout = packed.Layout;
        var rows = new List<float[]>(layout.Examples);
        for (int bucket = 0; bucket < layout.BucketCount; bucket++)
        {
            for (int p = 0; p < layout.BucketSize(bucket); p++)
            {
                rows.Add(MemoryMarshal.CreateReadOnlySpan(ref packed.Slot(layout.Slot(bucket, p)), packed.Stride).ToArray());
            }
        }
        return rows;
    }

    /// <summary>Label i = i (exact in float32 below 2²⁴) and features derived from i, so a row is recognisable.</summary>
    internal static Dataset LabelledByIndex(int examples, int features = Features)
    {
        float[] values = new float[examples * features];
        float[] labels = new float[examples];
        for (int i = 0; i < examples; i++)
        {
            labels[i] = i;
            for (int j = 0; j < features; j++)
            {
                values[(i * features) + j] = (i * 0.5f) + j;
            }
        }
        return new Dataset(values, labels, features);
    }
}
