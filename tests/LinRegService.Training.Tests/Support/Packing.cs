using LinRegService.Training.Data;

namespace LinRegService.Training.Tests.Support;

/// <summary>Builds the trainer's packed layout (stride features + 1, the label last) from a dataset.</summary>
internal static class Packing
{
    public static float[] Pack(Dataset data)
    {
        int d = data.FeatureCount;
        float[] packed = new float[data.Examples * (d + 1)];
        for (int i = 0; i < data.Examples; i++)
        {
            data.Row(i).CopyTo(packed.AsSpan(i * (d + 1), d));
            packed[(i * (d + 1)) + d] = data.Labels[i];
        }
        return packed;
    }

    /// <summary>0, 1, …, count − 1.</summary>
    public static int[] Identity(int count) => Enumerable.Range(0, count).ToArray();

    /// <summary>A fixed pseudo-random permutation of 0..count − 1 (test input, not the library's shuffle).</summary>
    public static int[] Shuffled(int count, int seed)
    {
        int[] order = Identity(count);
        new System.Random(seed).Shuffle(order);
        return order;
    }
}
