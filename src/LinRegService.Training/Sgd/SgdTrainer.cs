using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// Minibatch stochastic gradient descent exactly as in the book: every epoch a fresh uniformly
/// random order, minibatches of <c>BatchSize</c> rows in that order (the last one smaller and
/// divided by its own size), θ ← θ − lr·∇(Σ batch losses)/|B|, and after each epoch the mean
/// squared loss over the whole dataset.
/// </summary>
public static class SgdTrainer
{
    /// <summary>Packed rows up to this size stay in one piece, shuffled by plain Fisher–Yates.</summary>
    internal const long InCacheBytes = 1L << 20;

    /// <summary>Larger data are scattered into buckets of about this size (a fraction of one core's L2).</summary>
    internal const long TargetBucketBytes = 256L << 10;

    /// <summary>At most 4096 buckets: beyond that the scatter's write streams stop fitting in cache.</summary>
    internal const int MaxBucketBits = 12;

    /// <summary>Trains on <paramref name="data"/>; reports each epoch's loss through <paramref name="progress"/>.</summary>
    /// <exception cref="TrainingDivergedException">The loss or a parameter became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static TrainingResult Train(Dataset data, TrainingOptions options, IProgress<EpochLoss>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BatchSize, data.Examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        if (options.InitialWeights is { } initial && initial.Count != data.FeatureCount)
        {
            throw new ArgumentException("The initial weights must have one value per feature.", nameof(options));
        }

        bool vector = options.Kernel switch
        {
            KernelKind.Scalar => false,
            KernelKind.Vector => true,
            _ => Vector256.IsHardwareAccelerated,
        };
        return vector
            ? Run<VectorStepKernel>(data, options, progress, cancellationToken)
            : Run<ScalarStepKernel>(data, options, progress, cancellationToken);
    }

    /// <summary>
    /// What training allocates beside the dataset, as <see cref="EpochRunner{TKernel}"/> does: the
    /// order of the rows, and either one packed copy (data that fit in cache) or one or two shuffle
    /// buffers (two when the next epoch is scattered ahead on another core); weights, gradient and
    /// the loss pass's partial sums.
    /// </summary>
    public static long EstimateBytes(long examples, int features, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long order = examples * sizeof(int);
        long parameters = 4L * features * sizeof(float);
        long lossSums = RowBlocks.Count((int)Math.Min(examples, int.MaxValue), features) * (long)sizeof(double);
        int bucketBits = BucketShuffle.BucketBitsFor(examples, features, InCacheBytes, TargetBucketBytes, MaxBucketBits);
        long rows = bucketBits == 0
            ? examples * (features + 1L) * sizeof(float)
            : BucketShuffle.BytesFor(examples, features, bucketBits) * (EpochRunner<ScalarStepKernel>.WorksAhead(options) ? 2 : 1);
        return order + parameters + lossSums + rows;
    }

    /// <summary>The initial weights: N(0, initStd²) from the training seed, or the warm start's.</summary>
    internal static float[] InitialWeights(int features, TrainingOptions options)
    {
        if (options.InitialWeights is { } given)
        {
            return [.. given];
        }
        float[] weights = new float[features];
        var rng = new XoshiroLanes(StreamKey.For(options.Seed, StreamKey.Purpose.InitialWeights));
        GaussianSampler.Fill(ref rng, weights, options.InitStd);
        return weights;
    }

    /// <summary>Runs every epoch and reports each loss once it is known.</summary>
    private static TrainingResult Run<TKernel>(Dataset data, TrainingOptions options, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
        where TKernel : IStepKernel
    {
        using var runner = new EpochRunner<TKernel>(data, options, cancellationToken);
        double[] losses = new double[options.Epochs];
        void Report(EpochLoss loss)
        {
            if (!double.IsFinite(loss.Loss))
            {
                throw new TrainingDivergedException(loss.Epoch);
            }
            losses[loss.Epoch - 1] = loss.Loss;
            progress?.Report(loss);
        }

        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            runner.RunEpoch(epoch, Report);
        }
        runner.Finish(Report);
        return new TrainingResult(runner.Stepper.Weights, runner.Stepper.Bias, losses);
    }
}
