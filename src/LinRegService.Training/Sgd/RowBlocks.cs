namespace LinRegService.Training.Sgd;

/// <summary>
/// The fixed blocks of rows that the parallel passes (shuffle scatter, loss) split a dataset into.
/// A block is about 2^18 values, so each is a fraction of a millisecond of work (the cancellation
/// token is looked at between blocks), and its size depends only on the number of features, so
/// block-wise sums and random streams never depend on the number of threads.
/// </summary>
internal static class RowBlocks
{
    private const int ValuesPerBlock = 1 << 18;

    public static int RowsPerBlock(int features) => Math.Max(64, ValuesPerBlock / (features + 1));

    public static int Count(int examples, int features)
    {
        int rows = RowsPerBlock(features);
        return (int)(((long)examples + rows - 1) / rows);
    }
}
