namespace LinRegService.Training.Sgd;

/// <summary>The learning rate of each SGD update under <see cref="TrainingOptions.Schedule"/>.</summary>
internal static class LearningRates
{
    /// <summary>The rate of update <paramref name="update"/> (from 1, counted across epochs) in epoch <paramref name="epoch"/> (from 0).</summary>
    public static float At(TrainingOptions options, long update, int epoch) =>
        options.Schedule == ScheduleKind.InvScaling ? InvScaled(options.LearningRate, options.DecayPower, update) : ForEpoch(options, epoch);

    /// <summary>The rate every update of the epoch shares: constant, or step's lr × factor^⌊epoch / every⌋. InvScaling changes per update instead.</summary>
    public static float ForEpoch(TrainingOptions options, int epoch) =>
        options.Schedule == ScheduleKind.Step
            ? (float)(options.LearningRate * Math.Pow(options.DecayFactor, epoch / Math.Max(1, options.DecayEvery)))
            : options.LearningRate;

    /// <summary>scikit-learn's invscaling: lr / t^power, computed in double and rounded once.</summary>
    public static float InvScaled(float learningRate, float power, long update) => (float)(learningRate / Math.Pow(update, power));
}
