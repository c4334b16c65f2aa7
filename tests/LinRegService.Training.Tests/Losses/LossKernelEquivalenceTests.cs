using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Losses;

/// <summary>
/// Each loss trains the same in the Vector256 kernel and in its scalar twin, on every shape the
/// squared loss is compared on (widths around the vector loops' tails, odd and whole-data
/// batches). Same 1e-5 tolerance and reasoning as <c>StepKernelEquivalenceTests</c>; the data are
/// <see cref="GappedData"/> so the absolute loss's jump at 0 cannot part the two.
/// </summary>
public class LossKernelEquivalenceTests
{
    private const double Tolerance = 1e-5;
    private const float LearningRate = 0.001f;

    public static TheoryData<int, int, int> FeaturesBatchesExamples() => KernelCases.FeaturesBatchesExamples();

    [Theory]
    [MemberData(nameof(FeaturesBatchesExamples))]
    public void Absolute_loss_agrees_between_kernels(int features, int batch, int examples) =>
        AssertKernelsAgree<AbsoluteLoss>(features, batch, examples);

    [Theory]
    [MemberData(nameof(FeaturesBatchesExamples))]
    public void Huber_loss_agrees_between_kernels(int features, int batch, int examples) =>
        AssertKernelsAgree<HuberLoss>(features, batch, examples);

    [Theory]
    [MemberData(nameof(FeaturesBatchesExamples))]
    public void Squared_loss_agrees_between_kernels_on_the_same_data(int features, int batch, int examples) =>
        AssertKernelsAgree<SquaredLoss>(features, batch, examples);

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(257)]
    public void Loss_pass_agrees_between_kernels_for_each_loss(int features)
    {
        DatasetSpec spec = KernelCases.Spec(features, 500, seed: 21);
        Dataset data = GappedData.Create(spec, seed: features);
        float[] weights = [.. spec.Weights];
        foreach ((string name, double scalar, double vector) in new[]
        {
            ("squared", LossPass.Mean<ScalarStepKernel, SquaredLoss>(data, weights, spec.Bias, 1f, 1, default), LossPass.Mean<VectorStepKernel, SquaredLoss>(data, weights, spec.Bias, 1f, 1, default)),
            ("absolute", LossPass.Mean<ScalarStepKernel, AbsoluteLoss>(data, weights, spec.Bias, 1f, 1, default), LossPass.Mean<VectorStepKernel, AbsoluteLoss>(data, weights, spec.Bias, 1f, 1, default)),
            ("huber", LossPass.Mean<ScalarStepKernel, HuberLoss>(data, weights, spec.Bias, GappedData.HuberDelta, 1, default), LossPass.Mean<VectorStepKernel, HuberLoss>(data, weights, spec.Bias, GappedData.HuberDelta, 1, default)),
        })
        {
            Approx.Equal(scalar, vector, Tolerance, scalar, name);
            Assert.True(scalar > 0.5, $"{name}: the labels are 1 to 2 off the plane, so the loss is far from 0 ({scalar})");
        }
    }

    private static void AssertKernelsAgree<TLoss>(int features, int batch, int examples)
        where TLoss : ILoss
    {
        DatasetSpec spec = KernelCases.Spec(features, examples, seed: 11);
        float[] packed = Packing.Pack(GappedData.Create(spec, seed: features + batch));
        int[] order = Packing.Shuffled(examples, seed: features + batch);
        var options = new TrainingOptions { BatchSize = batch, LearningRate = LearningRate, HuberDelta = GappedData.HuberDelta };
        var scalar = new MinibatchStepper<ScalarStepKernel, TLoss>([.. spec.Weights], spec.Bias, options);
        var vector = new MinibatchStepper<VectorStepKernel, TLoss>([.. spec.Weights], spec.Bias, options);

        for (int epoch = 0; epoch < 2; epoch++)
        {
            for (int start = 0; start < examples; start += 97)
            {
                ReadOnlySpan<int> slice = order.AsSpan(start, Math.Min(97, examples - start));
                scalar.Feed(ref MemoryMarshal.GetArrayDataReference(packed), slice, 0);
                vector.Feed(ref MemoryMarshal.GetArrayDataReference(packed), slice, 0);
            }
            scalar.FinishEpoch();
            vector.FinishEpoch();
        }

        Approx.Equal(scalar.Weights, vector.Weights, Tolerance, "weights");
        Approx.Equal(scalar.Bias, vector.Bias, Tolerance, scalar.Bias, "bias");
        Assert.NotEqual(Approx.Bits([.. spec.Weights]), Approx.Bits(vector.Weights));
    }
}
