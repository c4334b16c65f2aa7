using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Data;

namespace LinRegService.Training.Sgd;

/// <summary>The layout every SGD step reads: each row's features followed by its label (stride features + 1).</summary>
internal static class PackedRows
{
    /// <summary>A packed copy of <paramref name="data"/> in a new array.</summary>
    public static float[] Pack(Dataset data)
    {
        float[] packed = new float[data.Examples * (data.FeatureCount + 1)];
        PackInto(data, ref MemoryMarshal.GetArrayDataReference(packed));
        return packed;
    }

    /// <summary>Writes <paramref name="data"/>'s rows packed, in order, from <paramref name="destination"/> on.</summary>
    public static void PackInto(Dataset data, ref float destination)
    {
        int d = data.FeatureCount;
        for (int i = 0; i < data.Examples; i++)
        {
            ref float row = ref Unsafe.Add(ref destination, (nint)i * (d + 1));
            data.Row(i).CopyTo(MemoryMarshal.CreateSpan(ref row, d));
            Unsafe.Add(ref row, d) = data.Labels[i];
        }
    }
}
