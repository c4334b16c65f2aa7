using System.Runtime.Intrinsics;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Random;

namespace LinRegService.Training.Sgd;

/// <summary>
/// Minibatch stochastic gradient descent exactly as in the book: every epoch a fresh uniformly
/// random order, minibatches of <c>BatchSize</c> rows in that order (the last one smaller and
/// divided by its own size), θ ← θ − lr·∇(Σ batch losses)/|B|, and after each epoch the mean
/// loss over the whole dataset. The loss, the order, the schedule and early stopping are options
/// (<see cref="TrainingOptions"/>); their defaults are the book's.
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
        Check(data.Examples, data.FeatureCount, options);
        if (options.Standardize)
        {
            return TrainStandardized(data, options, progress, cancellationToken);
        }
        using PackedDataset packed = PackedDataset.From(data, EpochRunner<ScalarStepKernel, SquaredLoss>.BucketBitsFor(data.Examples, data.FeatureCount, options), options.MaxDegreeOfParallelism);
        return Train(packed, options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on rows already packed (generated straight into the arena), which it shuffles in
    /// place: afterwards they are in the last epoch's order. <see cref="TrainingOptions.Standardize"/>
    /// needs a <see cref="Dataset"/>.
    /// </summary>
    internal static TrainingResult Train(PackedDataset data, TrainingOptions options, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        Check(data.Examples, data.Features, options);
        if (options.Standardize)
        {
            throw new ArgumentException("Standardizing trains on a copy: pass the rows as a Dataset.", nameof(options));
        }
        bool vector = options.Kernel switch
        {
            KernelKind.Scalar => false,
            KernelKind.Vector => true,
            _ => Vector256.IsHardwareAccelerated,
        };
        return (vector, options.Loss) switch
        {
            (true, LossKind.Absolute) => Run<VectorStepKernel, AbsoluteLoss>(data, options, progress, cancellationToken),
            (true, LossKind.Huber) => Run<VectorStepKernel, HuberLoss>(data, options, progress, cancellationToken),
            (true, _) => Run<VectorStepKernel, SquaredLoss>(data, options, progress, cancellationToken),
            (false, LossKind.Absolute) => Run<ScalarStepKernel, AbsoluteLoss>(data, options, progress, cancellationToken),
            (false, LossKind.Huber) => Run<ScalarStepKernel, HuberLoss>(data, options, progress, cancellationToken),
            (false, _) => Run<ScalarStepKernel, SquaredLoss>(data, options, progress, cancellationToken),
        };
    }

    private static void Check(int examples, int features, TrainingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BatchSize, examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        if (options.InitialWeights is { } initial && initial.Count != features)
        {
            throw new ArgumentException("The initial weights must have one value per feature.", nameof(options));
        }
    }

    /// <summary>
    /// Trains on a standardized copy of the features (<see cref="FeatureScaling"/>) and answers
    /// the model in the original units. A warm start's weights and bias, given in the original
    /// units, are carried into the standardized ones first; random initial weights are drawn in
    /// the standardized units (N(0, initStd²) on columns of variance 1). Every epoch loss is the
    /// original model's too: both predict the same for every row.
    /// </summary>
    private static TrainingResult TrainStandardized(Dataset data, TrainingOptions options, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
    {
        FeatureScaling scaling = FeatureScaling.Of(data);
        Dataset standardized = scaling.Apply(data);
        TrainingOptions inner = options with { Standardize = false };
        if (options.InitialWeights is { } initial)
        {
            (float[] weights, float bias) = scaling.ToStandardized(initial, options.InitialBias);
            inner = inner with { InitialWeights = weights, InitialBias = bias };
        }
        TrainingResult learned = Train(standardized, inner, progress, cancellationToken);
        (float[] originalWeights, float originalBias) = scaling.ToOriginal(learned.Weights, learned.Bias);
        return learned with { Weights = originalWeights, Bias = originalBias };
    }

    /// <summary>
    /// What training allocates beside the rows it trains on (<see cref="PackedBytes"/>), as
    /// <see cref="EpochRunner{TKernel, TLoss}"/> does: the order of the rows, the shuffle's counts
    /// and block lists, weights, gradient and the loss pass's partial sums; with
    /// <see cref="TrainingOptions.Standardize"/>, the standardized copy of the features.
    /// </summary>
    public static long EstimateBytes(long examples, int features, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long order = examples * sizeof(int);
        long parameters = 4L * features * sizeof(float);
        long lossSums = RowBlocks.Count((int)Math.Min(examples, int.MaxValue), features) * (long)sizeof(double);
        int bucketBits = EpochRunner<ScalarStepKernel, SquaredLoss>.BucketBitsFor(examples, features, options);
        long shuffle = bucketBits == 0 ? 0 : BucketShuffle.BytesFor(examples, features, bucketBits, options.MaxDegreeOfParallelism);
        long standardized = options.Standardize ? examples * features * sizeof(float) : 0;
        return order + parameters + lossSums + shuffle + standardized;
    }

    /// <summary>The one packed copy of the rows training shuffles in place: the rows, and the blocks the shuffle needs beside them.</summary>
    public static long PackedBytes(long examples, int features, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int bucketBits = EpochRunner<ScalarStepKernel, SquaredLoss>.BucketBitsFor(examples, features, options);
        return RowArena.BytesFor(RowArena.CapacityFor(examples, features, bucketBits, BucketShuffle.ThreadsFor(options.MaxDegreeOfParallelism)), features);
    }

    /// <summary>An arena for this run's rows, to be generated into in dataset order.</summary>
    internal static PackedDataset AllocatePacked(int examples, int features, TrainingOptions options) =>
        PackedDataset.Allocate(examples, features, EpochRunner<ScalarStepKernel, SquaredLoss>.BucketBitsFor(examples, features, options), options.MaxDegreeOfParallelism);

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

    /// <summary>Runs every epoch (or until early stopping says stop) and reports each loss once it is known.</summary>
    private static TrainingResult Run<TKernel, TLoss>(PackedDataset data, TrainingOptions options, IProgress<EpochLoss>? progress, CancellationToken cancellationToken)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        using var runner = new EpochRunner<TKernel, TLoss>(data, options, cancellationToken);
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

        // With a tolerance the runner reports each epoch's loss within RunEpoch, so it is known here.
        EarlyStopping? stopping = options.Tolerance is { } tolerance ? new EarlyStopping(tolerance, options.Patience) : null;
        int epochsRun = 0;
        bool stoppedEarly = false;
        while (epochsRun < options.Epochs && !stoppedEarly)
        {
            runner.RunEpoch(epochsRun, Report);
            epochsRun++;
            stoppedEarly = stopping is not null && epochsRun < options.Epochs && stopping.ShouldStopAfter(losses[epochsRun - 1]);
        }
        runner.Finish(Report);
        if (epochsRun < losses.Length)
        {
            Array.Resize(ref losses, epochsRun);
        }
        // The squared loss's last epoch loss is the final squared loss; another loss needs a pass of its own.
        double finalSquaredLoss = typeof(TLoss) == typeof(SquaredLoss) ? losses[^1] : runner.CurrentSquaredLoss();
        if (!double.IsFinite(finalSquaredLoss))
        {
            throw new TrainingDivergedException(epochsRun);
        }
        return new TrainingResult(runner.Stepper.Weights, runner.Stepper.Bias, losses)
        {
            FinalSquaredLoss = finalSquaredLoss,
            StoppedEarly = stoppedEarly,
        };
    }
}
