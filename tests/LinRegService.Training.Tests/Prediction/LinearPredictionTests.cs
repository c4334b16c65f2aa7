using LinRegService.Training.Kernels;
using LinRegService.Training.Prediction;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Prediction;

/// <summary>
/// The batch prediction with the vector dot product equals the scalar reference and a float64
/// sum on random shapes (every tail length of the 8- and 16-wide loops, one row and many). The
/// tolerance is the dot product's, as in <see cref="Kernels.StepKernelEquivalenceTests"/>: 1e-5
/// of Σ|xᵢwᵢ| + |b| catches a wrong index or a lost tail, and float32 rounding stays far inside it.
/// </summary>
public class LinearPredictionTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int> FeaturesAndRows()
    {
        var data = new TheoryData<int, int>();
        foreach (int features in KernelCases.FeatureCounts)
        {
            foreach (int rows in new[] { 1, 3, 41 })
            {
                data.Add(features, rows);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FeaturesAndRows))]
    public void Vector_predictions_agree_with_the_scalar_reference_and_float64(int features, int rows)
    {
        var random = new System.Random((features * 1000) + rows);
        float[] x = RandomValues(random, rows * features);
        float[] w = RandomValues(random, features);
        float b = (float)((random.NextDouble() * 10) - 5);
        float[] vector = new float[rows];
        float[] scalar = new float[rows];

        LinearPrediction.Predict(x, w, b, vector);
        LinearPrediction.Predict<ScalarStepKernel>(x, w, b, scalar);

        for (int i = 0; i < rows; i++)
        {
            double exact = b;
            double magnitude = Math.Abs(b);
            for (int k = 0; k < features; k++)
            {
                double term = (double)x[(i * features) + k] * w[k];
                exact += term;
                magnitude += Math.Abs(term);
            }
            Approx.Equal(scalar[i], vector[i], Tolerance, magnitude, $"vector vs scalar, row {i}");
            Approx.Equal(exact, vector[i], Tolerance, magnitude, $"vector vs float64, row {i}");
        }
    }

    [Fact]
    public void The_book_model_predicts_w_dot_x_plus_b()
    {
        float[] predictions = new float[2];

        LinearPrediction.Predict([1f, 1f, 0f, 0f], [2f, -3.4f], 4.2f, predictions);

        Assert.Equal(2f - 3.4f + 4.2f, predictions[0], 5);
        Assert.Equal(4.2f, predictions[1]);
    }

    [Fact]
    public void Features_that_are_not_whole_rows_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LinearPrediction.Predict(new float[5], new float[2], 0f, new float[2]));
        Assert.Throws<ArgumentException>(() => LinearPrediction.Predict(new float[4], new float[2], 0f, new float[3]));
        Assert.Throws<ArgumentException>(() => LinearPrediction.Predict([], [], 0f, new float[1]));
    }

    [Fact]
    public void No_rows_make_no_predictions()
    {
        LinearPrediction.Predict([], [1f], 0f, []);
    }

    private static float[] RandomValues(System.Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 4) - 2))];
}
