using LinRegService.Training.Data;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// Whole training runs with the scalar and the vector kernels, same data and seeds, end in the
/// same place. Tolerance 1e-5 of the magnitude scale: the kernels sum in different orders, so
/// each row's float32 rounding differs by a few 2⁻²⁴; SGD on a least-squares loss with a stable
/// step contracts such differences instead of amplifying them, so after two epochs they stay
/// far below 1e-5 (the largest seen here is about 1e-6).
/// </summary>
public class ScalarVectorTrainingTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int, int> FeaturesBatchesExamples() => KernelCases.FeaturesBatchesExamples();

    [Theory]
    [MemberData(nameof(FeaturesBatchesExamples))]
    public void Vector_kernel_trains_like_the_scalar_reference(int features, int batch, int examples)
    {
        Dataset data = DatasetGenerator.Generate(KernelCases.Spec(features, examples, seed: 21));
        var options = new TrainingOptions { BatchSize = batch, Epochs = 2, Seed = 5, InitStd = 0.1f };

        TrainingResult scalar = SgdTrainer.Train(data, options with { Kernel = KernelKind.Scalar });
        TrainingResult vector = SgdTrainer.Train(data, options with { Kernel = KernelKind.Vector });

        Approx.Equal(scalar.Weights, vector.Weights, Tolerance, "weights");
        Approx.Equal(scalar.Bias, vector.Bias, Tolerance, scalar.Bias, "bias");
        Assert.Equal(2, vector.EpochLosses.Length);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            // Compared as the rms residual √(2·loss), which is in the labels' units like the weights:
            // the loss itself, a mean of squares near the noise floor, would magnify rounding.
            Approx.Equal(Math.Sqrt(2 * scalar.EpochLosses[epoch]), Math.Sqrt(2 * vector.EpochLosses[epoch]), Tolerance, 1, $"rms residual {epoch + 1}");
        }
    }

    [Fact]
    public void The_kernel_option_really_selects_the_implementation()
    {
        // Guards the comparison above against comparing one implementation with itself: the two
        // kernels round differently (fused vs separate multiply-add), so their bits differ somewhere,
        // while Auto is the vector kernel wherever 256-bit vectors are accelerated.
        Dataset data = DatasetGenerator.Generate(KernelCases.Spec(17, 503, seed: 22));
        var options = new TrainingOptions { Epochs = 2, Seed = 6 };

        TrainingResult scalar = SgdTrainer.Train(data, options with { Kernel = KernelKind.Scalar });
        TrainingResult vector = SgdTrainer.Train(data, options with { Kernel = KernelKind.Vector });
        TrainingResult auto = SgdTrainer.Train(data, options with { Kernel = KernelKind.Auto });

        Assert.NotEqual(Approx.Bits(scalar.Weights), Approx.Bits(vector.Weights));
        TrainingResult expectedAuto = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? vector : scalar;
        Assert.Equal(Approx.Bits(expectedAuto.Weights), Approx.Bits(auto.Weights));
    }
}
