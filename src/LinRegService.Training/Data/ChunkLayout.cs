namespace LinRegService.Training.Data;

/// <summary>
/// How a dataset is cut into chunks, each generated from its own random stream. The cut depends
/// only on the number of features, never on threads, so any row range can be regenerated alone.
/// </summary>
public static class ChunkLayout
{
    /// <summary>Values (features) per chunk: 64 Ki floats, 256 KiB, well inside one core's L2.</summary>
    public const int ValuesPerChunk = 1 << 16;

    /// <summary>Rows in every chunk but possibly the last.</summary>
    public static int RowsPerChunk(int features) => Math.Max(1, ValuesPerChunk / Math.Max(1, features));

    /// <summary>Number of chunks for <paramref name="examples"/> rows.</summary>
    public static int ChunkCount(int examples, int features)
    {
        int rows = RowsPerChunk(features);
        return (int)(((long)examples + rows - 1) / rows);
    }
}
