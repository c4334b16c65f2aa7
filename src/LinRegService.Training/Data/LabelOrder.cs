namespace LinRegService.Training.Data;

/// <summary>
/// <see cref="RowOrder.SortedByLabel"/>: rows stably sorted by label. Each row is one 64-bit key,
/// the label's bits made to sort as unsigned integers above the row's index, so a plain
/// (deterministic) sort of the keys is a stable sort of the rows; 8 bytes a row, the only extra
/// memory ordering takes.
/// </summary>
internal static class LabelOrder
{
    /// <summary>Marks a row already moved while the rows are permuted in place (no index reaches it).</summary>
    private const ulong Moved = ulong.MaxValue;

    public static long BytesFor(long examples) => examples * sizeof(ulong);

    /// <summary>The sort key of a row: label order first (−0 as +0), then the index.</summary>
    public static ulong Key(float label, int row)
    {
        uint bits = BitConverter.SingleToUInt32Bits(label + 0f);
        uint sortable = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)sortable << 32) | (uint)row;
    }

    /// <summary>The row that lands at a sorted position.</summary>
    public static int RowOf(ulong key) => (int)(uint)key;

    /// <summary>Sorts <paramref name="data"/>'s rows by label in place.</summary>
    public static void SortInPlace(Dataset data, CancellationToken cancellationToken)
    {
        int n = data.Examples;
        int d = data.FeatureCount;
        ulong[] keys = GC.AllocateUninitializedArray<ulong>(n);
        for (int i = 0; i < n; i++)
        {
            keys[i] = Key(data.Labels[i], i);
        }
        cancellationToken.ThrowIfCancellationRequested();
        Array.Sort(keys);
        cancellationToken.ThrowIfCancellationRequested();

        // Position p takes row RowOf(keys[p]): follow each cycle once, holding its first row aside.
        float[] features = data.Features;
        float[] labels = data.Labels;
        float[] held = new float[d];
        for (int start = 0; start < n; start++)
        {
            if (keys[start] == Moved || RowOf(keys[start]) == start)
            {
                continue;
            }
            features.AsSpan(start * d, d).CopyTo(held);
            float heldLabel = labels[start];
            int position = start;
            while (true)
            {
                int source = RowOf(keys[position]);
                keys[position] = Moved;
                if (source == start)
                {
                    held.CopyTo(features.AsSpan(position * d, d));
                    labels[position] = heldLabel;
                    break;
                }
                features.AsSpan(source * d, d).CopyTo(features.AsSpan(position * d, d));
                labels[position] = labels[source];
                position = source;
            }
        }
    }
}
