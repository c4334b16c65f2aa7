using LinRegService.Training.Data;

namespace LinRegService.Training.Tests.Support;

/// <summary>
/// Rows whose labels sit 1 to 2 away from the true plane on either side, for comparing the
/// absolute loss between two computations: its gradient jumps at r = 0, so two float orders that
/// put one residual on either side of 0 would part by a whole step. Starting from the true
/// parameters with a small learning rate, no residual comes near 0 (the parameters drift far less
/// than 1), while the Huber loss with δ = 1.5 still sees both its squared and its linear part.
/// </summary>
internal static class GappedData
{
    public const float HuberDelta = 1.5f;

    public static Dataset Create(DatasetSpec spec, int seed)
    {
        Dataset data = DatasetGenerator.Generate(spec);
        var random = new System.Random(seed);
        float[] labels = new float[data.Examples];
        for (int i = 0; i < labels.Length; i++)
        {
            double plane = spec.Bias;
            ReadOnlySpan<float> row = data.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                plane += row[j] * (double)spec.Weights[j];
            }
            double offset = 1 + random.NextDouble();
            labels[i] = (float)(plane + (random.Next(2) == 0 ? -offset : offset));
        }
        return new Dataset(data.Features, labels, data.FeatureCount);
    }
}
