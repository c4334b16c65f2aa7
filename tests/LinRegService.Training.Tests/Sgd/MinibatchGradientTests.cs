using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// MinibatchStepper's updates equal the book's sgd step computed independently in float64:
/// w ← w − lr·Xᵀr/|B|, b ← b − lr·Σr/|B| with r = Xw + b − y, the last smaller batch divided by
/// its own size. Tolerance 1e-6 of max(1, |w|): the stepper works in float32 (2⁻²⁴ ≈ 6e-8 per
/// rounding); each residual loses about one ulp of the label (≈ 5e-7 for labels near 4) to
/// cancellation, and lr·that over a few steps stays below 1e-7, so 1e-6 leaves a wide margin
/// while any wrong divisor (batch instead of last-batch size) is off by tens of percent.
/// </summary>
public class MinibatchGradientTests
{
    private const double Tolerance = 1e-6;
    private const int Features = 5;
    private const float LearningRate = 0.1f;

    public static TheoryData<bool, int, int> KernelsAndBatches() => new()
    {
        { false, 10, 23 }, // two full batches and a last batch of 3
        { true, 10, 23 },
        { false, 23, 23 }, // one full batch: a single step over every row
        { true, 23, 23 },
        { false, 1, 7 },   // plain SGD, one row per step
        { true, 1, 7 },
        { true, 4, 9 },    // a last batch of one row
    };

    [Theory]
    [MemberData(nameof(KernelsAndBatches))]
    public void One_epoch_matches_a_float64_computation(bool vector, int batch, int examples)
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1.5f, -2f, 0.5f, 3f, -1f], 4.2f, examples, 0.1f, 1f, Seed: 3));
        float[] packed = Packing.Pack(data);
        int[] order = Packing.Shuffled(examples, seed: 9);
        float[] initial = [0.1f, -0.2f, 0.3f, 0f, 0.05f];

        (float[] weights, float bias) = vector
            ? RunEpoch<VectorStepKernel>(packed, order, initial, batch)
            : RunEpoch<ScalarStepKernel>(packed, order, initial, batch);
        (double[] expectedWeights, double expectedBias) = Reference(packed, order, initial, batch);

        Approx.Equal(expectedWeights.Select(w => (float)w).ToArray(), weights, Tolerance, "weights");
        Approx.Equal(expectedBias, bias, Tolerance, expectedBias, "bias");
    }

    /// <summary>Row widths that run the vector kernel's 8- and 16-wide loops and the 16-feature path, each with and without a tail.</summary>
    public static TheoryData<bool, int> KernelsAndWideRows() => new()
    {
        { true, 8 }, { true, 16 }, { true, 17 }, { true, 37 }, { true, 64 },
        { false, 16 }, { false, 37 },
    };

    [Theory]
    [MemberData(nameof(KernelsAndWideRows))]
    public void One_epoch_on_wide_rows_matches_a_float64_computation(bool vector, int features)
    {
        DatasetSpec spec = KernelCases.Spec(features, 23, seed: 3);
        float[] packed = Packing.Pack(DatasetGenerator.Generate(spec));
        int[] order = Packing.Shuffled(23, seed: 9);
        float[] initial = [.. Enumerable.Range(0, features).Select(i => 0.1f * MathF.Cos(i))];

        (float[] weights, float bias) = vector
            ? RunEpoch<VectorStepKernel>(packed, order, initial, 10)
            : RunEpoch<ScalarStepKernel>(packed, order, initial, 10);
        (double[] expectedWeights, double expectedBias) = ReferenceSgd.Run(packed, features, [order], initial, 0f, 10,
            ReferenceSgd.Squared, (_, _) => LearningRate);

        Approx.Equal(expectedWeights.Select(w => (float)w).ToArray(), weights, Tolerance, "weights");
        Approx.Equal(expectedBias, bias, Tolerance, expectedBias, "bias");
        Assert.NotEqual(Approx.Bits(initial), Approx.Bits(weights)); // three steps did move them
    }

    [Fact]
    public void A_batch_spanning_two_feed_calls_keeps_accumulating_its_gradient()
    {
        // The bucketed shuffle feeds each bucket separately (with its own base row); a batch that
        // straddles two buckets must see one gradient, not two half-batches.
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1.5f, -2f, 0.5f, 3f, -1f], 4.2f, 23, 0.1f, 1f, Seed: 4));
        float[] packed = Packing.Pack(data);
        float[] initial = [0.1f, -0.2f, 0.3f, 0f, 0.05f];
        var whole = new MinibatchStepper<VectorStepKernel, SquaredLoss>([.. initial], 0f, 10, LearningRate);
        var split = new MinibatchStepper<VectorStepKernel, SquaredLoss>([.. initial], 0f, 10, LearningRate);
        int[] all = Packing.Identity(23);

        whole.Feed(ref MemoryMarshal.GetArrayDataReference(packed), all, 0);
        whole.FinishEpoch();
        split.Feed(ref MemoryMarshal.GetArrayDataReference(packed), all.AsSpan(0, 14), 0);
        split.Feed(ref MemoryMarshal.GetArrayDataReference(packed), Packing.Identity(9), 14); // rows 14..22 via a base row
        split.FinishEpoch();

        Assert.Equal(Approx.Bits(whole.Weights), Approx.Bits(split.Weights));
        Assert.Equal(BitConverter.SingleToInt32Bits(whole.Bias), BitConverter.SingleToInt32Bits(split.Bias));
    }

    [Fact]
    public void FinishEpoch_without_a_pending_batch_changes_nothing()
    {
        Dataset data = DatasetGenerator.Generate(new DatasetSpec([1f, 2f, 3f, 4f, 5f], 1f, 20, 0.1f, 1f, Seed: 5));
        float[] packed = Packing.Pack(data);
        var stepper = new MinibatchStepper<VectorStepKernel, SquaredLoss>(new float[Features], 0f, 10, LearningRate);
        stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), Packing.Identity(20), 0);
        float[] weights = [.. stepper.Weights];
        float bias = stepper.Bias;

        stepper.FinishEpoch();

        Assert.Equal(weights, stepper.Weights);
        Assert.Equal(bias, stepper.Bias);
        Assert.NotEqual(new float[Features], weights); // two steps did move the weights
    }

    private static (float[] Weights, float Bias) RunEpoch<TKernel>(float[] packed, int[] order, float[] initial, int batch)
        where TKernel : IStepKernel
    {
        var stepper = new MinibatchStepper<TKernel, SquaredLoss>([.. initial], 0f, batch, LearningRate);
        stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), order, 0);
        stepper.FinishEpoch();
        return (stepper.Weights, stepper.Bias);
    }

    /// <summary>The book's data_iter + sgd loop in float64, batch by batch in the given order.</summary>
    private static (double[] Weights, double Bias) Reference(float[] packed, int[] order, float[] initial, int batch)
    {
        const int Stride = Features + 1;
        double[] w = initial.Select(v => (double)v).ToArray();
        double b = 0;
        for (int start = 0; start < order.Length; start += batch)
        {
            int size = Math.Min(batch, order.Length - start);
            double[] gradient = new double[Features];
            double biasGradient = 0;
            foreach (int row in order.AsSpan(start, size))
            {
                ReadOnlySpan<float> x = packed.AsSpan(row * Stride, Features);
                double residual = b - packed[(row * Stride) + Features];
                for (int j = 0; j < Features; j++)
                {
                    residual += x[j] * w[j];
                }
                for (int j = 0; j < Features; j++)
                {
                    gradient[j] += residual * x[j];
                }
                biasGradient += residual;
            }
            for (int j = 0; j < Features; j++)
            {
                w[j] -= LearningRate * gradient[j] / size;
            }
            b -= LearningRate * biasGradient / size;
        }
        return (w, b);
    }
}
