using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// The bucketed path trains every row once an epoch, none twice: with one batch of all rows the
/// order cannot matter, so two epochs must equal full-batch gradient descent in float64. With the
/// last bucket left out of the feed they were 1.3e-3 of their size apart, 130 times this test's
/// tolerance (checked once by that change).
/// </summary>
[Collection(LargeData.Name)]
public class BucketedEpochTests
{
    private static readonly DatasetSpec _spec = LargeData.Bucketed;

    public static TheoryData<KernelKind, int> KernelsAndThreads() => new()
    {
        { KernelKind.Vector, -1 },
        { KernelKind.Vector, 1 },
        { KernelKind.Scalar, -1 },
    };

    [Theory]
    [MemberData(nameof(KernelsAndThreads))]
    public void Two_full_batch_epochs_equal_gradient_descent_in_float64(KernelKind kernel, int threads)
    {
        Assert.True(BucketShuffle.BucketBitsFor(_spec.Examples, _spec.Features, SgdTrainer.InCacheBytes, SgdTrainer.TargetBucketBytes,
            SgdTrainer.MaxBucketBits) > 0, "the spec must take the bucketed path");
        Dataset data = DatasetGenerator.Generate(_spec);
        float[] packed = Packing.Pack(data); // before training, which reorders the engine's own copy
        float[] zeros = new float[_spec.Features];
        const float rate = 1f; // stable for the bias (curvature 1) and the weights (0.0625)

        TrainingResult trained = SgdTrainer.Train(data, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = _spec.Examples,
            LearningRate = rate,
            InitialWeights = zeros,
            InitialBias = 0f,
            Shuffle = true,
            Seed = 5,
            Kernel = kernel,
            MaxDegreeOfParallelism = threads,
        });
        int[] inOrder = Packing.Identity(_spec.Examples);
        (double[] weights, double bias) = ReferenceSgd.Run(packed, _spec.Features, [inOrder, inOrder], zeros, 0f, _spec.Examples,
            ReferenceSgd.Squared, (_, _) => rate);

        double moved = Math.Max(weights.Max(Math.Abs), Math.Abs(bias)); // from zero
        double worst = Math.Max(weights.Zip(trained.Weights).Max(p => Math.Abs(p.First - p.Second)), Math.Abs(bias - trained.Bias));
        Assert.True(worst <= 1e-5 * moved, $"|Δ| up to {worst:E3} against weights and bias that moved {moved:E3} (bound {1e-5 * moved:E3})");
    }
}
