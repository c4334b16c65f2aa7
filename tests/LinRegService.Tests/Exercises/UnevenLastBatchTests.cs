using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>
/// Exercise 7: when the number of examples is not divisible by the batch size, the last, smaller
/// batch is divided by its own size. 105 rows in batches of 10 leave a last batch of 5; with zero
/// init and no shuffle the whole run is known from the rows alone, so it is recomputed here in
/// float64 from the job's own rows (the samples endpoint) and compared with what the job learned.
/// </summary>
public sealed class UnevenLastBatchTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const double Tolerance = 1e-5;

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task The_last_smaller_batch_is_divided_by_its_own_size()
    {
        Job job = await _client.SucceededAsync("""
            { "dataset": { "examples": 105, "seed": 42 },
              "training": { "batchSize": 10, "epochs": 2, "initStd": 0, "shuffle": false, "seed": 7 } }
            """);
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{job.Id}/samples?offset=0&count=105");
        SamplesPage rows = await response.ReadAsAsync<SamplesPage>(HttpStatusCode.OK);

        (double[] w, double b) = Reference(rows, epochs: 2, batch: 10, lastDivisor: size => size);
        (double[] wrongW, _) = Reference(rows, epochs: 2, batch: 10, lastDivisor: _ => 10);

        for (int j = 0; j < w.Length; j++)
        {
            Assert.True(Math.Abs(w[j] - job.Result!.Weights[j]) < Tolerance, $"w[{j}]: float64 {w[j]}, job {job.Result.Weights[j]}");
            Assert.True(Math.Abs(wrongW[j] - job.Result.Weights[j]) > 100 * Tolerance, $"w[{j}] also matches a last batch divided by 10");
        }
        Assert.True(Math.Abs(b - job.Result!.Bias) < Tolerance, $"bias: float64 {b}, job {job.Result.Bias}");
    }

    /// <summary>The book's loop in float64, batches in dataset order, the last batch divided by <paramref name="lastDivisor"/>(its size).</summary>
    private static (double[] Weights, double Bias) Reference(SamplesPage rows, int epochs, int batch, Func<int, int> lastDivisor)
    {
        int n = rows.Labels.Count;
        int d = rows.Features[0].Count;
        double[] w = new double[d];
        double b = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int start = 0; start < n; start += batch)
            {
                int size = Math.Min(batch, n - start);
                double[] gradient = new double[d];
                double biasGradient = 0;
                for (int i = start; i < start + size; i++)
                {
                    double residual = b - rows.Labels[i];
                    for (int j = 0; j < d; j++)
                    {
                        residual += rows.Features[i][j] * w[j];
                    }
                    for (int j = 0; j < d; j++)
                    {
                        gradient[j] += residual * rows.Features[i][j];
                    }
                    biasGradient += residual;
                }
                int divisor = size < batch ? lastDivisor(size) : batch;
                for (int j = 0; j < d; j++)
                {
                    w[j] -= 0.03 * gradient[j] / divisor;
                }
                b -= 0.03 * biasGradient / divisor;
            }
        }
        return (w, b);
    }
}
