using LinRegService.Training.Data;

namespace LinRegService.Training.Sgd;

/// <summary>The layout every SGD step reads: each row's features followed by its label (stride features + 1).</summary>
internal static class PackedRows
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
}
