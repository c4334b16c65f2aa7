using System.Globalization;

namespace LinRegService.Benchmarks.SideBySide;

/// <summary>
/// One side-by-side configuration, parsed from <c>--name value</c> pairs. The Python peers take the
/// same flags (bench/side-by-side/peers.py), so both sides build the same job.
/// </summary>
internal sealed record JobArguments(
    int Examples,
    int Features,
    int BatchSize,
    int Epochs,
    float LearningRate,
    float FeatureStd,
    float InitStd,
    float NoiseStd,
    int Repeat,
    bool TrainOnly)
{
    public static JobArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        float Float(string name, float fallback) => values.TryGetValue(name, out string? v) ? float.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new JobArguments(
            Int("examples", 1000),
            Int("features", 2),
            Int("batch", 10),
            Int("epochs", 3),
            Float("lr", 0.03f),
            Float("feature-std", 1f),
            Float("init-std", 0.01f),
            Float("noise", 0.01f),
            Int("repeat", 1),
            values.TryGetValue("train-only", out string? trainOnly) && trainOnly == "1");
    }

    /// <summary>
    /// The true weights: the book's [2, −3.4] for two features, otherwise a fixed pattern in
    /// [−1.5, 1.5] that the peers compute the same way.
    /// </summary>
    public float[] TrueWeights()
    {
        if (Features == 2)
        {
            return [2f, -3.4f];
        }
        float[] weights = new float[Features];
        for (int j = 0; j < Features; j++)
        {
            weights[j] = ((j % 7) - 3) * 0.5f;
        }
        return weights;
    }
}
