namespace LinRegService.Training.Data;

/// <summary>
/// A row range of a dataset ordered by label, without the dataset: every chunk is generated once
/// for its labels' sort keys (<see cref="LabelOrder.Key"/>), the keys up to the range's end are
/// found, and the chunks holding the wanted rows are generated again. A range near the start (the
/// samples, a plot's first rows) keeps only that many keys in a bounded heap; any other sorts the
/// keys of all rows (8 bytes a row).
/// </summary>
internal static class SortedRows
{
    public static Dataset Generate(DatasetSpec spec, float[] weights, int offset, int count)
    {
        int d = spec.Features;
        int wanted = offset + count;
        ulong[] keys = wanted <= spec.Examples / 8 ? SmallestKeys(spec, weights, wanted) : AllKeys(spec, weights);

        // (generated row, place in the answer), by generated row: each chunk is generated once more at most.
        var rowsWanted = new (int Row, int Place)[count];
        for (int place = 0; place < count; place++)
        {
            rowsWanted[place] = (LabelOrder.RowOf(keys[offset + place]), place);
        }
        Array.Sort(rowsWanted);

        float[] features = new float[count * d];
        float[] labels = new float[count];
        int rowsPerChunk = ChunkLayout.RowsPerChunk(d);
        float[] chunkFeatures = new float[rowsPerChunk * d];
        float[] chunkLabels = new float[rowsPerChunk];
        int generated = -1;
        foreach ((int row, int place) in rowsWanted)
        {
            int chunk = row / rowsPerChunk;
            int first = chunk * rowsPerChunk;
            if (chunk != generated)
            {
                int rows = Math.Min(rowsPerChunk, spec.Examples - first);
                DatasetGenerator.GenerateChunk(spec, weights, chunk, chunkFeatures.AsSpan(0, rows * d), chunkLabels.AsSpan(0, rows));
                generated = chunk;
            }
            chunkFeatures.AsSpan((row - first) * d, d).CopyTo(features.AsSpan(place * d));
            labels[place] = chunkLabels[row - first];
        }
        return new Dataset(features, labels, d);
    }

    /// <summary>Every row's key, sorted.</summary>
    private static ulong[] AllKeys(DatasetSpec spec, float[] weights)
    {
        ulong[] keys = GC.AllocateUninitializedArray<ulong>(spec.Examples);
        VisitKeys(spec, weights, (row, key) => keys[row] = key);
        Array.Sort(keys);
        return keys;
    }

    /// <summary>The <paramref name="wanted"/> smallest keys, sorted: a max-heap of that size (the largest key on top, replaced by any smaller one).</summary>
    private static ulong[] SmallestKeys(DatasetSpec spec, float[] weights, int wanted)
    {
        var heap = new PriorityQueue<ulong, ulong>(wanted + 1);
        VisitKeys(spec, weights, (_, key) =>
        {
            if (heap.Count < wanted)
            {
                heap.Enqueue(key, ulong.MaxValue - key);
            }
            else if (wanted > 0 && key < heap.Peek())
            {
                heap.EnqueueDequeue(key, ulong.MaxValue - key);
            }
        });
        ulong[] keys = new ulong[heap.Count];
        for (int i = keys.Length - 1; i >= 0; i--)
        {
            keys[i] = heap.Dequeue();
        }
        return keys;
    }

    private static void VisitKeys(DatasetSpec spec, float[] weights, Action<int, ulong> visit)
    {
        int d = spec.Features;
        int rowsPerChunk = ChunkLayout.RowsPerChunk(d);
        float[] chunkFeatures = new float[rowsPerChunk * d];
        float[] chunkLabels = new float[rowsPerChunk];
        int chunks = ChunkLayout.ChunkCount(spec.Examples, d);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            int first = chunk * rowsPerChunk;
            int rows = Math.Min(rowsPerChunk, spec.Examples - first);
            DatasetGenerator.GenerateChunk(spec, weights, chunk, chunkFeatures.AsSpan(0, rows * d), chunkLabels.AsSpan(0, rows));
            for (int i = 0; i < rows; i++)
            {
                visit(first + i, LabelOrder.Key(chunkLabels[i], first + i));
            }
        }
    }
}
