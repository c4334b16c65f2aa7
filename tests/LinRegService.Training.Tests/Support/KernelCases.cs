using LinRegService.Training.Data;

namespace LinRegService.Training.Tests.Support;

/// <summary>
/// The feature counts and batch sizes the scalar and vector kernels are compared on: every tail
/// length around the 8- and 16-wide vector loops, plus wide rows (72 and 95 also run the 16- and
/// 8-wide steps after a 32-wide loop); batches of one row, odd sizes, and the whole dataset.
/// </summary>
internal static class KernelCases
{
    public const int AllRows = 0;

    public static readonly int[] FeatureCounts = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 64, 72, 95, 257, 1024];

    public static readonly int[] BatchSizes = [1, 7, 10, 256, AllRows];

    /// <summary>Keeps every case small: about this many feature values at most.</summary>
    private const int ValueBudget = 1 << 18;

    /// <summary>(features, batch, examples), with examples never a multiple of the batch (except batch 1 and "all").</summary>
    public static TheoryData<int, int, int> FeaturesBatchesExamples()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int features in FeatureCounts)
        {
            int targetRows = Math.Min(600, ValueBudget / features);
            foreach (int batch in BatchSizes)
            {
                int examples;
                if (batch == AllRows)
                {
                    examples = targetRows + 7;
                }
                else
                {
                    int fullBatches = Math.Max(1, targetRows / batch);
                    int remainder = batch == 1 ? 0 : Math.Max(1, batch / 3);
                    examples = (batch * fullBatches) + remainder;
                }
                data.Add(features, batch == AllRows ? examples : batch, examples);
            }
        }
        return data;
    }

    public static TheoryData<int> Features()
    {
        var data = new TheoryData<int>();
        foreach (int features in FeatureCounts)
        {
            data.Add(features);
        }
        return data;
    }

    /// <summary>
    /// A dataset whose rows have unit expected squared norm (featureStd = 1/√d), so lr 0.03 is a
    /// stable step for every width, and whose true weights are of order one.
    /// </summary>
    public static DatasetSpec Spec(int features, int examples, long seed)
    {
        float[] weights = new float[features];
        for (int i = 0; i < features; i++)
        {
            weights[i] = 2f * MathF.Sin(i + 1);
        }
        return new DatasetSpec(weights, 0.5f, examples, 0.01f, 1f / MathF.Sqrt(features), seed);
    }
}
