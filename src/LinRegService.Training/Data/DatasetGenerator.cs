using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Data;

/// <summary>
/// Generates a <see cref="DatasetSpec"/>'s rows chunk by chunk, in parallel. Each chunk draws its
/// features (row-major) and then its noise from its own stream, keyed by (seed, chunk index).
/// Outliers change labels row by row as each chunk is made; ordering by label needs every label,
/// so it runs on the whole dataset (and a row range of a sorted dataset looks at every chunk).
/// </summary>
public static class DatasetGenerator
{
    /// <summary>All rows of the dataset.</summary>
    /// <param name="spec">What to generate; validate it first (<see cref="Validation.RunValidator"/>).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores. The data do not depend on it.</param>
    /// <param name="cancellationToken">Checked between chunks (each well under a millisecond).</param>
    public static Dataset Generate(DatasetSpec spec, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int d = spec.Features;
        float[] weights = [.. spec.Weights];
        (float[] features, float[] labels) = DatasetMemory.Rent(spec.Examples, d);
        ForEachChunk(spec, maxDegreeOfParallelism, (chunk, first, rows) =>
            GenerateChunk(spec, weights, chunk, features.AsSpan(first * d, rows * d), labels.AsSpan(first, rows)), cancellationToken);
        var data = new Dataset(features, labels, d);
        if (spec.Order == RowOrder.SortedByLabel)
        {
            LabelOrder.SortInPlace(data, cancellationToken);
        }
        return data;
    }

    /// <summary>
    /// All rows, bit-identical to <see cref="Generate"/>'s, written straight into training's packed
    /// arena <paramref name="packed"/> in dataset order: each chunk is made in a small per-thread
    /// buffer (it stays in cache) and copied into its rows, so the run holds one copy of its data.
    /// Not for a dataset ordered by label, whose sort needs every row first.
    /// </summary>
    internal static void GeneratePacked(DatasetSpec spec, PackedDataset packed, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(packed);
        if (spec.Order == RowOrder.SortedByLabel)
        {
            throw new ArgumentException("A dataset ordered by label is sorted as a whole: generate it as a Dataset.", nameof(spec));
        }
        int d = spec.Features;
        float[] weights = [.. spec.Weights];
        int rowsPerChunk = ChunkLayout.RowsPerChunk(d);
        ForEachChunk(spec, maxDegreeOfParallelism, (chunk, first, rows) =>
        {
            (float[] features, float[] labels) = ChunkBuffers.ForThisThread(rowsPerChunk * d, rowsPerChunk);
            GenerateChunk(spec, weights, chunk, features.AsSpan(0, rows * d), labels.AsSpan(0, rows), ref packed.InOrderRow(first));
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="generate"/>(chunk, first row, rows) for every chunk, in parallel.</summary>
    private static void ForEachChunk(DatasetSpec spec, int maxDegreeOfParallelism, Action<int, int, int> generate, CancellationToken cancellationToken)
    {
        int rowsPerChunk = ChunkLayout.RowsPerChunk(spec.Features);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, ChunkLayout.ChunkCount(spec.Examples, spec.Features), options, chunk =>
        {
            int first = chunk * rowsPerChunk;
            generate(chunk, first, Math.Min(rowsPerChunk, spec.Examples - first));
        });
    }

    /// <summary>A thread's buffers for one chunk, kept for its next chunks and runs (a quarter of a megabyte at most).</summary>
    private static class ChunkBuffers
    {
        [ThreadStatic]
        private static float[]? _features;

        [ThreadStatic]
        private static float[]? _labels;

        public static (float[] Features, float[] Labels) ForThisThread(int values, int rows)
        {
            if (_features is null || _features.Length < values)
            {
                _features = new float[values];
            }
            if (_labels is null || _labels.Length < rows)
            {
                _labels = new float[rows];
            }
            return (_features, _labels);
        }
    }

    /// <summary>What generating takes beside the dataset itself: the sort keys of a dataset ordered by label.</summary>
    public static long OrderingBytes(DatasetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Order == RowOrder.SortedByLabel ? LabelOrder.BytesFor(Math.Max(0, spec.Examples)) : 0;
    }

    /// <summary>
    /// Rows [offset, offset + count) alone, bit-identical to the same rows of <see cref="Generate"/>:
    /// only the chunks that hold them are generated. Ordered by label, every chunk is generated
    /// once for the labels' order, then the chunks holding the wanted rows again (<see cref="SortedRows"/>).
    /// </summary>
    public static Dataset GenerateRows(DatasetSpec spec, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, spec.Examples - offset);
        int d = spec.Features;
        float[] weights = [.. spec.Weights];
        float[] features = new float[count * d];
        float[] labels = new float[count];
        if (count == 0)
        {
            return new Dataset(features, labels, d);
        }
        if (spec.Order == RowOrder.SortedByLabel)
        {
            return SortedRows.Generate(spec, weights, offset, count);
        }

        int rowsPerChunk = ChunkLayout.RowsPerChunk(d);
        float[] chunkFeatures = new float[rowsPerChunk * d];
        float[] chunkLabels = new float[rowsPerChunk];
        int end = offset + count;
        for (int chunk = offset / rowsPerChunk; chunk * rowsPerChunk < end; chunk++)
        {
            int first = chunk * rowsPerChunk;
            int rows = Math.Min(rowsPerChunk, spec.Examples - first);
            GenerateChunk(spec, weights, chunk, chunkFeatures.AsSpan(0, rows * d), chunkLabels.AsSpan(0, rows));

            int from = Math.Max(offset, first);
            int to = Math.Min(end, first + rows);
            chunkFeatures.AsSpan((from - first) * d, (to - from) * d).CopyTo(features.AsSpan((from - offset) * d));
            chunkLabels.AsSpan(from - first, to - from).CopyTo(labels.AsSpan(from - offset));
        }
        return new Dataset(features, labels, d);
    }

    /// <summary>One chunk: features first, then noise, then labels = Xw + b + noise, then the outliers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    internal static void GenerateChunk(DatasetSpec spec, float[] weights, int chunk, Span<float> features, Span<float> labels) =>
        GenerateChunk(spec, weights, chunk, features, labels, ref Unsafe.NullRef<float>());

    /// <summary>
    /// As above; where <paramref name="packed"/> is not null, each row is also copied there (stride
    /// features + 1) as soon as its label is summed, so the copy's writes overlap the next rows' work,
    /// and the labels follow once the outliers have changed theirs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GenerateChunk(DatasetSpec spec, float[] weights, int chunk, Span<float> features, Span<float> labels, ref float packed)
    {
        var rng = new XoshiroLanes(StreamKey.For(spec.Seed, StreamKey.Purpose.DataChunk, chunk));
        GaussianSampler.Fill(ref rng, features, spec.FeatureStd);
        GaussianSampler.Fill(ref rng, labels, spec.NoiseStd);

        int d = weights.Length;
        bool copy = !Unsafe.IsNullRef(ref packed);
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float x = ref MemoryMarshal.GetReference(features);
        for (int i = 0; i < labels.Length; i++)
        {
            ref float row = ref Unsafe.Add(ref x, i * d);
            labels[i] += RowMath.Dot(ref row, ref w, d) + spec.Bias;
            if (copy)
            {
                RowMath.Copy(ref Unsafe.Add(ref packed, (nint)i * (d + 1)), ref row, d);
            }
        }
        LabelPerturbation.Apply(spec, chunk * ChunkLayout.RowsPerChunk(d), labels);
        if (copy)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                Unsafe.Add(ref packed, ((nint)i * (d + 1)) + d) = labels[i];
            }
        }
    }
}
