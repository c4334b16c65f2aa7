namespace LinRegService.Jobs;

/// <summary>What a left-out field takes: the book's run.</summary>
internal static class BookDefaults
{
    public static readonly float[] Weights = [2f, -3.4f];
    public const float Bias = 4.2f;
    public const int Examples = 1000;
    public const float NoiseStd = 0.01f;
    public const float FeatureStd = 1f;
    public const float LearningRate = 0.03f;
    public const int BatchSize = 10;
    public const int Epochs = 3;
    public const float InitStd = 0.01f;
    public const int SampleCount = 10;
}
