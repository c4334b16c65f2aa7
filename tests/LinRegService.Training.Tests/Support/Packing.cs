using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Support;

/// <summary>Packed rows and row orders for feeding a <c>MinibatchStepper</c> directly.</summary>
internal static class Packing
{
    public static float[] Pack(Dataset data) => PackedRows.Pack(data);

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
