using System.Runtime.CompilerServices;
using LinRegService.Training.Data;

namespace LinRegService.Training.Sgd;

/// <summary>
/// A dataset as training holds it: its rows once, packed in a <see cref="RowArena"/>, in the
/// order of the latest epoch (<see cref="Layout"/>). Generated data are written straight into it
/// (<see cref="DatasetGenerator.GeneratePacked"/>); given rows are copied in once
/// (<see cref="From"/>). Until the first shuffle the rows are in dataset order, contiguous, and the
/// closed form and loss passes read them exactly as they would read a <see cref="Dataset"/>.
/// </summary>
internal sealed class PackedDataset : IDisposable
{
    private PackedDataset(int examples, int features, int bucketBits, int maxDegreeOfParallelism)
    {
        Examples = examples;
        Features = features;
        Arena = new RowArena(features, RowArena.CapacityFor(examples, features, bucketBits, BucketShuffle.ThreadsFor(maxDegreeOfParallelism)), RowArena.BlocksFor(examples, features));
        Layout = RowLayout.InOrder(examples, Arena.RowsPerBlock);
    }

    public RowArena Arena { get; }

    /// <summary>The rows' order now: dataset order until the first scatter, then each epoch's.</summary>
    public RowLayout Layout { get; set; }

    public int Examples { get; }

    public int Features { get; }

    public int Stride => Features + 1;

    /// <summary>An arena for <paramref name="examples"/> rows, to be written in dataset order (<see cref="InOrderRow"/>), with room for training's shuffle into 2^<paramref name="bucketBits"/> buckets on up to <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    public static PackedDataset Allocate(int examples, int features, int bucketBits, int maxDegreeOfParallelism = -1) =>
        new(examples, features, bucketBits, maxDegreeOfParallelism);

    /// <summary>A packed copy of <paramref name="data"/>, in its order.</summary>
    public static PackedDataset From(Dataset data, int bucketBits, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var packed = new PackedDataset(data.Examples, data.FeatureCount, bucketBits, maxDegreeOfParallelism);
        if (data.Examples > 0)
        {
            PackedRows.PackInto(data, ref packed.InOrderRow(0));
        }
        return packed;
    }

    /// <summary>Row <paramref name="index"/> while the rows are in dataset order (before any scatter): slot i.</summary>
    public ref float InOrderRow(int index) => ref Unsafe.Add(ref Arena.First, (nint)index * Stride);

    /// <summary>The rows of slot <paramref name="slot"/> on.</summary>
    public ref float Slot(int slot) => ref Unsafe.Add(ref Arena.First, (nint)slot * Stride);

    public void Dispose() => Arena.Dispose();
}
