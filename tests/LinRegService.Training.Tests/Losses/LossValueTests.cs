using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Losses;

/// <summary>The loss pass's mean of each loss equals the loss's definition summed in float64.</summary>
public class LossValueTests
{
    [Theory]
    [InlineData("squared")]
    [InlineData("absolute")]
    [InlineData("huber")]
    public void Loss_pass_is_the_mean_of_the_loss(string loss)
    {
        var spec = new DatasetSpec([1.5f, -2f, 0.5f], 1f, 3000, 0.1f, 1f, Seed: 5);
        Dataset data = GappedData.Create(spec, seed: 6);
        float[] weights = [1.4f, -2.1f, 0.45f];
        const float Bias = 1.2f;
        const double Delta = GappedData.HuberDelta;

        double actual = loss switch
        {
            "absolute" => LossPass.Mean<VectorStepKernel, AbsoluteLoss>(data, weights, Bias, (float)Delta, -1, default),
            "huber" => LossPass.Mean<VectorStepKernel, HuberLoss>(data, weights, Bias, (float)Delta, -1, default),
            _ => LossPass.Mean<VectorStepKernel, SquaredLoss>(data, weights, Bias, 1f, -1, default),
        };
        double expected = 0;
        for (int i = 0; i < data.Examples; i++)
        {
            double r = Bias - data.Labels[i];
            for (int j = 0; j < weights.Length; j++)
            {
                r += data.Row(i)[j] * (double)weights[j];
            }
            double a = Math.Abs(r);
            expected += loss switch
            {
                "absolute" => a,
                "huber" => a <= Delta ? r * r / 2 : Delta * (a - (Delta / 2)),
                _ => r * r / 2,
            };
        }
        expected /= data.Examples;

        Approx.Equal(expected, actual, 1e-6, expected, loss);
    }

    [Fact]
    public void The_squared_loss_pass_is_bit_identical_to_the_sum_of_squares_it_always_was()
    {
        Dataset data = DatasetGenerator.Generate(DatasetSpec.Book(seed: 4));
        float[] weights = [1.9f, -3.3f];

        double mean = LossPass.Mean<VectorStepKernel>(data, weights, 4f, 1, default);
        double sumOfSquares = 0;
        for (int i = 0; i < data.Examples; i++)
        {
            double residual = (double)VectorStepKernel.Dot(ref data.Features[i * 2], ref weights[0], 2) + 4f - data.Labels[i];
            sumOfSquares += residual * residual;
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(sumOfSquares / (2.0 * data.Examples)), BitConverter.DoubleToInt64Bits(mean));
    }
}
