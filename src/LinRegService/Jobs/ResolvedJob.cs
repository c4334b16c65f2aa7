using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Jobs;

/// <summary>A request with every default and seed filled in, in the engine's terms.</summary>
internal sealed record ResolvedJob(JobRequest Request, DatasetSpec Dataset, TrainingOptions Training, int SampleCount, TimeSpan MaxRuntime, WarmStart? WarmStart)
{
    /// <summary>
    /// The one mapping from a resolved request (every field filled in) to the engine's specs: the
    /// resolver validates what it builds, and the executor, samples and plots rebuild the same
    /// from a stored job, so they cannot drift apart.
    /// </summary>
    /// <remarks>A job stored before the later options has them absent: they take <see cref="OptionDefaults"/>, today's behaviour.</remarks>
    public static ResolvedJob From(JobRequest request, WarmStart? warmStart)
    {
        DatasetRequest d = OptionDefaults.Fill(request.Dataset!);
        TrainingRequest t = OptionDefaults.Fill(request.Training!);
        var dataset = new DatasetSpec(d.Weights!, d.Bias!.Value, d.Examples!.Value, d.NoiseStd!.Value, d.FeatureStd!.Value, d.Seed!.Value)
        {
            Outliers = d.Outliers is { } o ? new DatasetOutliers { Rows = o.Rows!, Label = o.Label!.Value, Fraction = o.Fraction!.Value, Shift = o.Shift!.Value } : null,
            // The contract's enums list the engine's in the same order; a value outside them stays outside, for the validator to name.
            Order = (RowOrder)(int)d.Order!.Value,
        };
        var training = new TrainingOptions
        {
            LearningRate = t.LearningRate!.Value,
            BatchSize = t.BatchSize!.Value,
            Epochs = t.Epochs!.Value,
            InitStd = t.InitStd!.Value,
            Seed = t.Seed!.Value,
            InitialWeights = warmStart?.Weights,
            InitialBias = warmStart?.Bias ?? 0f,
            Loss = (LossKind)(int)t.Loss!.Value,
            HuberDelta = t.HuberDelta!.Value,
            Shuffle = t.Shuffle!.Value,
            Schedule = (ScheduleKind)(int)t.Schedule!.Value,
            DecayPower = t.DecayPower!.Value,
            DecayEvery = t.DecayEvery!.Value,
            DecayFactor = t.DecayFactor!.Value,
            Tolerance = t.Tolerance,
            Patience = t.Patience!.Value,
        };
        // A runtime limit that does not fit a TimeSpan is refused by the resolver; clamp so building never throws.
        double seconds = Math.Clamp(t.MaxRuntimeSeconds!.Value, 0, TimeSpan.MaxValue.TotalSeconds / 2);
        return new ResolvedJob(request, dataset, training, request.SampleCount ?? 0, TimeSpan.FromSeconds(double.IsNaN(seconds) ? 0 : seconds), warmStart);
    }

    /// <summary>The engine's view of a stored job (its request is already resolved).</summary>
    public static ResolvedJob FromRecord(JobRecord record) => From(record.Request, record.WarmStart);
}
