using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>
/// Exercise 1: initialize the weights to zero — does it still work? And with variance 1000
/// (initStd ≈ 31.6) instead of 0.01? The loss is convex, so zero init converges as the book's
/// does; a huge init costs the first epoch but converges too, and with a learning rate that blows
/// up the job fails with the divergence reason.
/// </summary>
public sealed class ZeroAndLargeInitTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Zero_init_converges_as_the_books_init_does()
    {
        Job zero = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "initStd": 0, "seed": 7 } }""");
        Job book = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "initStd": 0.01, "seed": 7 } }""");

        Assert.Equal(0f, zero.Request.Training!.InitStd);
        Assert.True(zero.WeightErrorNorm() < 0.01, $"zero init: |w error| = {zero.WeightErrorNorm()}");
        Assert.True(book.WeightErrorNorm() < 0.01, $"initStd 0.01: |w error| = {book.WeightErrorNorm()}");
        Assert.True(zero.Result!.FinalSquaredLoss < 1e-3, $"zero init: final loss {zero.Result.FinalSquaredLoss}");
        // Both end near the same point: the start is forgotten.
        Assert.True(Math.Abs(zero.Result.FinalSquaredLoss - book.Result!.FinalSquaredLoss) < 1e-4);
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(zero.Result.Weights[i] - book.Result.Weights[i], -0.01f, 0.01f);
        }
    }

    [Fact]
    public async Task Variance_1000_starts_far_off_yet_converges_at_the_books_learning_rate()
    {
        Job large = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "initStd": 31.6, "epochs": 5, "seed": 7 } }""");
        Job book = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "epochs": 5, "seed": 7 } }""");

        Assert.True(large.EpochLosses[0] > 10 * book.EpochLosses[0], $"first epoch: {large.EpochLosses[0]} vs {book.EpochLosses[0]}");
        Assert.True(large.WeightErrorNorm() < 0.05, $"|w error| = {large.WeightErrorNorm()}");
    }

    [Fact]
    public async Task Variance_1000_with_a_learning_rate_that_blows_up_fails_as_diverged()
    {
        Job queued = await _client.SubmitAsync("""{ "training": { "initStd": 31.6, "learningRate": 3 } }""");

        Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("diverged", job.Error?.Message, StringComparison.Ordinal);
        Assert.Null(job.Result);
    }
}
