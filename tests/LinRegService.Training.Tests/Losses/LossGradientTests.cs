using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Losses;

/// <summary>
/// Each loss's steps equal the book's sgd loop with that loss's gradient computed independently
/// in float64 (<see cref="ReferenceSgd"/>): squared r, absolute sign(r), Huber r clamped to ±δ;
/// the last smaller batch divided by its own size. Tolerance 1e-6 as in <c>MinibatchGradientTests</c>.
/// Each loss is also told apart from the others, so a kernel that ignored its loss would fail.
/// </summary>
public class LossGradientTests
{
    private const double Tolerance = 1e-6;
    private const float LearningRate = 0.01f;

    public static TheoryData<string, bool, int, int> LossesKernelsAndBatches()
    {
        var data = new TheoryData<string, bool, int, int>();
        foreach (string loss in new[] { "squared", "absolute", "huber" })
        {
            foreach (bool vector in new[] { false, true })
            {
                data.Add(loss, vector, 10, 23); // two full batches and a last batch of 3
                data.Add(loss, vector, 1, 7);   // one row per step
                data.Add(loss, vector, 4, 9);   // a last batch of one row
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LossesKernelsAndBatches))]
    public void Two_epochs_match_a_float64_computation(string loss, bool vector, int batch, int examples)
    {
        var spec = new DatasetSpec([1.5f, -2f, 0.5f, 3f, -1f], 4.2f, examples, 0.1f, 1f, Seed: 3);
        float[] packed = Packing.Pack(GappedData.Create(spec, seed: batch));
        int[][] orders = [Packing.Shuffled(examples, seed: 9), Packing.Shuffled(examples, seed: 10)];
        float[] initial = [.. spec.Weights];

        (float[] weights, float bias) = (loss, vector) switch
        {
            ("absolute", true) => Train<VectorStepKernel, AbsoluteLoss>(packed, orders, initial, spec.Bias, batch),
            ("absolute", false) => Train<ScalarStepKernel, AbsoluteLoss>(packed, orders, initial, spec.Bias, batch),
            ("huber", true) => Train<VectorStepKernel, HuberLoss>(packed, orders, initial, spec.Bias, batch),
            ("huber", false) => Train<ScalarStepKernel, HuberLoss>(packed, orders, initial, spec.Bias, batch),
            (_, true) => Train<VectorStepKernel, SquaredLoss>(packed, orders, initial, spec.Bias, batch),
            _ => Train<ScalarStepKernel, SquaredLoss>(packed, orders, initial, spec.Bias, batch),
        };

        foreach ((string name, ReferenceSgd.LossGradient gradient) in new[]
        {
            ("squared", (ReferenceSgd.LossGradient)ReferenceSgd.Squared),
            ("absolute", ReferenceSgd.Absolute),
            ("huber", ReferenceSgd.Huber(GappedData.HuberDelta)),
        })
        {
            (double[] expectedWeights, double expectedBias) =
                ReferenceSgd.Run(packed, spec.Features, orders, initial, spec.Bias, batch, gradient, (_, _) => LearningRate);
            bool equal = Math.Abs(expectedBias - bias) <= Tolerance * Math.Max(1, Math.Abs(expectedBias))
                && expectedWeights.Zip(weights).All(p => Math.Abs(p.First - p.Second) <= Tolerance * Math.Max(1, expectedWeights.Max(Math.Abs)));
            if (name == loss)
            {
                Approx.Equal(expectedWeights.Select(w => (float)w).ToArray(), weights, Tolerance, $"{loss} weights");
                Approx.Equal(expectedBias, bias, Tolerance, expectedBias, $"{loss} bias");
            }
            else
            {
                Assert.False(equal, $"the {loss} loss trained as the {name} loss does");
            }
        }
    }

    [Theory]
    [InlineData("squared", 16)]
    [InlineData("absolute", 16)]
    [InlineData("huber", 16)]
    [InlineData("absolute", 37)]
    [InlineData("huber", 37)]
    public void Two_epochs_of_the_vector_kernel_on_wide_rows_match_a_float64_computation(string loss, int features)
    {
        // The cases above have 5 features: below the vector loops' width, so their vector kernel runs its scalar tail only.
        DatasetSpec spec = KernelCases.Spec(features, 23, seed: 3) with { Bias = 4.2f };
        float[] packed = Packing.Pack(GappedData.Create(spec, seed: 10));
        int[][] orders = [Packing.Shuffled(23, seed: 9), Packing.Shuffled(23, seed: 10)];
        float[] initial = [.. spec.Weights];

        (float[] weights, float bias) = loss switch
        {
            "absolute" => Train<VectorStepKernel, AbsoluteLoss>(packed, orders, initial, spec.Bias, 10),
            "huber" => Train<VectorStepKernel, HuberLoss>(packed, orders, initial, spec.Bias, 10),
            _ => Train<VectorStepKernel, SquaredLoss>(packed, orders, initial, spec.Bias, 10),
        };
        ReferenceSgd.LossGradient gradient = loss switch
        {
            "absolute" => ReferenceSgd.Absolute,
            "huber" => ReferenceSgd.Huber(GappedData.HuberDelta),
            _ => ReferenceSgd.Squared,
        };
        (double[] expectedWeights, double expectedBias) =
            ReferenceSgd.Run(packed, features, orders, initial, spec.Bias, 10, gradient, (_, _) => LearningRate);

        Approx.Equal(expectedWeights.Select(w => (float)w).ToArray(), weights, Tolerance, $"{loss} weights");
        Approx.Equal(expectedBias, bias, Tolerance, expectedBias, $"{loss} bias");
        Assert.NotEqual(Approx.Bits(initial), Approx.Bits(weights));
    }

    private static (float[] Weights, float Bias) Train<TKernel, TLoss>(float[] packed, int[][] orders, float[] initial, float bias, int batch)
        where TKernel : IStepKernel
        where TLoss : ILoss
    {
        var stepper = new MinibatchStepper<TKernel, TLoss>([.. initial], bias, batch, LearningRate, GappedData.HuberDelta);
        foreach (int[] order in orders)
        {
            stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), order, 0);
            stepper.FinishEpoch();
        }
        return (stepper.Weights, stepper.Bias);
    }
}
