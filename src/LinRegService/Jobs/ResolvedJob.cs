using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Jobs;

/// <summary>A request with every default and seed filled in, in the engine's terms.</summary>
internal sealed record ResolvedJob(JobRequest Request, DatasetSpec Dataset, TrainingOptions Training, int SampleCount, TimeSpan MaxRuntime, WarmStart? WarmStart)
{
    /// <summary>Rebuilds the engine's view of a stored job (its request is already resolved).</summary>
    public static ResolvedJob FromRecord(JobRecord record)
    {
        DatasetRequest d = record.Request.Dataset!;
        TrainingRequest t = record.Request.Training!;
        var dataset = new DatasetSpec(d.Weights!, d.Bias!.Value, d.Examples!.Value, d.NoiseStd!.Value, d.FeatureStd!.Value, d.Seed!.Value);
        var training = new TrainingOptions
        {
            LearningRate = t.LearningRate!.Value,
            BatchSize = t.BatchSize!.Value,
            Epochs = t.Epochs!.Value,
            InitStd = t.InitStd!.Value,
            Seed = t.Seed!.Value,
            InitialWeights = record.WarmStart?.Weights,
            InitialBias = record.WarmStart?.Bias ?? 0f,
        };
        return new ResolvedJob(record.Request, dataset, training, record.Request.SampleCount ?? 0,
            TimeSpan.FromSeconds(t.MaxRuntimeSeconds!.Value), record.WarmStart);
    }
}
