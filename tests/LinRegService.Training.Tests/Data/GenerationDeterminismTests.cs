using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Data;

/// <summary>
/// The dataset is a pure function of its spec: chunked by feature count only, each chunk from its
/// own stream, so any row range regenerates alone, bit for bit, and threads change nothing.
/// </summary>
public class GenerationDeterminismTests
{
    /// <summary>16 features: 4096 rows per chunk; 3 full chunks and a partial fourth of 1000 rows.</summary>
    private static readonly DatasetSpec _sixteenFeatures = new(
        [.. Enumerable.Range(0, 16).Select(i => (i * 0.25f) - 2f)], 0.5f, (3 * 4096) + 1000, 0.1f, 1f, Seed: 12);

    /// <summary>7 features: 9362 rows per chunk (not a power of two); 2 full chunks and a partial third.</summary>
    private static readonly DatasetSpec _sevenFeatures = new([1f, -1f, 2f, -2f, 3f, -3f, 0.5f], -1f, (2 * 9362) + 17, 0.2f, 2f, Seed: 13);

    public static TheoryData<int, int, int> Ranges() => new()
    {
        // (features, offset, count)
        { 16, 0, 1 },
        { 16, 0, _sixteenFeatures.Examples },          // everything
        { 16, 4095, 2 },                             // straddles the first chunk boundary
        { 16, 100, (2 * 4096) + 7 },                 // spans three chunks
        { 16, 3 * 4096, 1000 },                      // exactly the last, partial chunk
        { 16, (3 * 4096) - 5, 1005 },                // into the last chunk, to the very end
        { 16, _sixteenFeatures.Examples - 1, 1 },     // the last row alone
        { 16, 5000, 0 },                             // nothing
        { 7, 9361, 3 },
        { 7, 9362 * 2, 17 },
        { 7, 1, (2 * 9362) + 15 },
    };

    [Fact]
    public void Chunk_layout_is_what_the_ranges_assume()
    {
        Assert.Equal(4096, ChunkLayout.RowsPerChunk(16));
        Assert.Equal(9362, ChunkLayout.RowsPerChunk(7));
        Assert.Equal(4, ChunkLayout.ChunkCount(_sixteenFeatures.Examples, 16));
        Assert.Equal(3, ChunkLayout.ChunkCount(_sevenFeatures.Examples, 7));
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void GenerateRows_equals_the_same_slice_of_Generate(int features, int offset, int count)
    {
        DatasetSpec spec = features == 16 ? _sixteenFeatures : _sevenFeatures;
        Dataset all = DatasetGenerator.Generate(spec);

        Dataset slice = DatasetGenerator.GenerateRows(spec, offset, count);

        Assert.Equal(count, slice.Examples);
        Assert.Equal(features, slice.FeatureCount);
        Assert.Equal(Approx.Bits(all.Features.AsSpan(offset * features, count * features).ToArray()), Approx.Bits(slice.Features));
        Assert.Equal(Approx.Bits(all.Labels.AsSpan(offset, count).ToArray()), Approx.Bits(slice.Labels));
    }

    [Theory]
    [InlineData(16, false)]
    [InlineData(7, true)]
    public void Generating_into_trainings_arena_writes_the_rows_of_Generate(int features, bool outliers)
    {
        DatasetSpec spec = features == 16 ? _sixteenFeatures : _sevenFeatures;
        if (outliers)
        {
            spec = spec with { Outliers = new DatasetOutliers { Rows = [0, 9362, spec.Examples - 1], Label = 99f, Fraction = 0.05, Shift = 3f } };
        }
        Dataset expected = DatasetGenerator.Generate(spec);
        using PackedDataset packed = PackedDataset.Allocate(spec.Examples, spec.Features, bucketBits: 4);

        DatasetGenerator.GeneratePacked(spec, packed);

        for (int i = 0; i < spec.Examples; i++)
        {
            float[] row = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref packed.InOrderRow(i), features + 1).ToArray();
            Assert.Equal(Approx.Bits(expected.Row(i).ToArray()), Approx.Bits(row[..features]));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Labels[i]), BitConverter.SingleToInt32Bits(row[features]));
        }
    }

    [Fact]
    public void GenerateRows_rejects_a_range_past_the_end()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetGenerator.GenerateRows(_sevenFeatures, _sevenFeatures.Examples - 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetGenerator.GenerateRows(_sevenFeatures, -1, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Any_thread_count_gives_the_single_thread_data(int threads)
    {
        Dataset reference = DatasetGenerator.Generate(_sixteenFeatures, maxDegreeOfParallelism: 1);

        Dataset data = DatasetGenerator.Generate(_sixteenFeatures, maxDegreeOfParallelism: threads);

        Assert.Equal(Approx.Bits(reference.Features), Approx.Bits(data.Features));
        Assert.Equal(Approx.Bits(reference.Labels), Approx.Bits(data.Labels));
    }

    [Fact]
    public void The_seed_changes_the_data_and_the_weights_do_not_change_the_features()
    {
        Dataset data = DatasetGenerator.Generate(_sevenFeatures);
        Dataset otherSeed = DatasetGenerator.Generate(_sevenFeatures with { Seed = 14 });
        Dataset otherWeights = DatasetGenerator.Generate(_sevenFeatures with { Weights = [0f, 0f, 0f, 0f, 0f, 0f, 1f] });

        Assert.NotEqual(data.Features, otherSeed.Features);
        Assert.Equal(data.Features, otherWeights.Features);
        Assert.NotEqual(data.Labels, otherWeights.Labels);
    }
}
