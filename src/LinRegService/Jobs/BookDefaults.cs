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

    // The options beyond the book's run (its behaviour): Huber's δ, the schedules' parameters as
    // scikit-learn's SGDRegressor defaults them (power_t 0.25), and n_iter_no_change's 5.
    public const float HuberDelta = 1f;
    public const float DecayPower = 0.25f;
    public const int DecayEvery = 1;
    public const float DecayFactor = 0.5f;
    public const int Patience = 5;
}
