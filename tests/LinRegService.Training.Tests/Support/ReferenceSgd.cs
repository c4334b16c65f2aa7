namespace LinRegService.Training.Tests.Support;

/// <summary>
/// The book's data_iter + sgd loop in float64, batch by batch in a given order, with any loss
/// gradient and learning-rate schedule: the independent computation the engine is held against.
/// </summary>
internal static class ReferenceSgd
{
    /// <summary>dL/dr of a loss, in float64.</summary>
    public delegate double LossGradient(double residual);

    /// <summary>The rate of update t (from 1) in epoch e (from 0).</summary>
    public delegate double Rate(long update, int epoch);

    public static double Squared(double r) => r;

    public static double Absolute(double r) => Math.Sign(r);

    public static LossGradient Huber(double delta) => r => Math.Clamp(r, -delta, delta);

    /// <summary>Runs <paramref name="orders"/>.Length epochs over packed rows (stride features + 1, the label last).</summary>
    public static (double[] Weights, double Bias) Run(
        float[] packed, int features, int[][] orders, float[] initialWeights, float initialBias, int batch, LossGradient gradientOf, Rate rate)
    {
        int stride = features + 1;
        double[] w = initialWeights.Select(v => (double)v).ToArray();
        double b = initialBias;
        long update = 0;
        for (int epoch = 0; epoch < orders.Length; epoch++)
        {
            int[] order = orders[epoch];
            for (int start = 0; start < order.Length; start += batch)
            {
                int size = Math.Min(batch, order.Length - start);
                double[] gradient = new double[features];
                double biasGradient = 0;
                foreach (int row in order.AsSpan(start, size))
                {
                    double residual = b - packed[(row * stride) + features];
                    for (int j = 0; j < features; j++)
                    {
                        residual += packed[(row * stride) + j] * w[j];
                    }
                    double g = gradientOf(residual);
                    for (int j = 0; j < features; j++)
                    {
                        gradient[j] += g * packed[(row * stride) + j];
                    }
                    biasGradient += g;
                }
                double lr = rate(++update, epoch);
                for (int j = 0; j < features; j++)
                {
                    w[j] -= lr * gradient[j] / size;
                }
                b -= lr * biasGradient / size;
            }
        }
        return (w, b);
    }
}
