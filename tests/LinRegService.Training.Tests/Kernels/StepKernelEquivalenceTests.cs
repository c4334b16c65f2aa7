using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Kernels;

/// <summary>
/// The Vector256 kernels compute what the scalar reference computes. They cannot agree bit for bit:
/// the vector dot product sums in eight lanes and two accumulators and uses fused multiply-adds,
/// so the float32 rounding differs. A float sum of n terms differs between two orders by at most
/// about n·2⁻²⁴ of the sum of |terms| and typically √n·2⁻²⁴ (≈ 2e-6 for n = 1024), so 1e-5 of the
/// magnitude scale is loose enough for every width here and still catches any wrong index or lost tail.
/// </summary>
public class StepKernelEquivalenceTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int> Features() => KernelCases.Features();

    public static TheoryData<int, int, int> FeaturesBatchesExamples() => KernelCases.FeaturesBatchesExamples();

    [Theory]
    [MemberData(nameof(Features))]
    public void Dot_agrees_with_the_scalar_reference(int features)
    {
        float[] a = RandomVector(features, seed: 1);
        float[] b = RandomVector(features, seed: 2);

        float scalar = ScalarStepKernel.Dot(ref a[0], ref b[0], features);
        float vector = VectorStepKernel.Dot(ref a[0], ref b[0], features);

        // The rounding error of a dot product scales with Σ|aᵢbᵢ|, not with the (possibly cancelling) result.
        double magnitude = a.Zip(b, (x, y) => Math.Abs((double)x * y)).Sum();
        double exact = a.Zip(b, (x, y) => (double)x * y).Sum();
        Approx.Equal(scalar, vector, Tolerance, magnitude, "vector vs scalar dot");
        Approx.Equal(exact, scalar, Tolerance, magnitude, "scalar vs float64 dot");
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void AddScaled_agrees_with_the_scalar_reference(int features)
    {
        float[] x = RandomVector(features, seed: 3);
        float[] scalar = RandomVector(features, seed: 4);
        float[] vector = [.. scalar];
        float[] before = [.. scalar];

        ScalarStepKernel.AddScaled(ref scalar[0], ref x[0], -0.37f, features);
        VectorStepKernel.AddScaled(ref vector[0], ref x[0], -0.37f, features);

        Approx.Equal(scalar, vector, Tolerance, "y + αx");
        Assert.NotEqual(before, vector); // it did add something, including in the tail
        Assert.NotEqual(before[^1], vector[^1]);
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void ApplyAndClear_agrees_with_the_scalar_reference_and_zeroes_the_gradient(int features)
    {
        float[] scalarWeights = RandomVector(features, seed: 5);
        float[] vectorWeights = [.. scalarWeights];
        float[] scalarGradient = RandomVector(features, seed: 6);
        float[] vectorGradient = [.. scalarGradient];
        float[] expected = scalarWeights.Zip(scalarGradient, (w, g) => (float)(w - (0.01 * g))).ToArray();

        ScalarStepKernel.ApplyAndClear(ref scalarWeights[0], ref scalarGradient[0], 0.01f, features);
        VectorStepKernel.ApplyAndClear(ref vectorWeights[0], ref vectorGradient[0], 0.01f, features);

        Approx.Equal(expected, scalarWeights, Tolerance, "scalar w − s·g");
        Approx.Equal(scalarWeights, vectorWeights, Tolerance, "vector w − s·g");
        Assert.All(scalarGradient, g => Assert.Equal(0f, g));
        Assert.All(vectorGradient, g => Assert.Equal(0f, g));
    }

    [Theory]
    [MemberData(nameof(FeaturesBatchesExamples))]
    public void Feed_and_FinishEpoch_agree_between_kernels(int features, int batch, int examples)
    {
        Dataset data = DatasetGenerator.Generate(KernelCases.Spec(features, examples, seed: 11));
        float[] packed = Packing.Pack(data);
        int[] order = Packing.Shuffled(examples, seed: features + batch);
        float[] initial = RandomVector(features, seed: 7);
        var scalar = new MinibatchStepper<ScalarStepKernel, SquaredLoss>([.. initial], 0.25f, batch, 0.03f);
        var vector = new MinibatchStepper<VectorStepKernel, SquaredLoss>([.. initial], 0.25f, batch, 0.03f);

        // Two epochs fed in uneven slices, as the trainer does between cancellation checks.
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach ((int start, int length) in Slices(examples, 97))
            {
                ReadOnlySpan<int> slice = order.AsSpan(start, length);
                scalar.Feed(ref MemoryMarshal.GetArrayDataReference(packed), slice, 0);
                vector.Feed(ref MemoryMarshal.GetArrayDataReference(packed), slice, 0);
            }
            scalar.FinishEpoch();
            vector.FinishEpoch();
        }

        Approx.Equal(scalar.Weights, vector.Weights, Tolerance, "weights");
        Approx.Equal(scalar.Bias, vector.Bias, Tolerance, scalar.Bias, "bias");
        Assert.NotEqual(initial, vector.Weights);
    }

    private static IEnumerable<(int Start, int Length)> Slices(int count, int size)
    {
        for (int start = 0; start < count; start += size)
        {
            yield return (start, Math.Min(size, count - start));
        }
    }

    private static float[] RandomVector(int length, int seed)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
    }
}
