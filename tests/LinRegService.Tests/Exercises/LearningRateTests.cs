using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>
/// Exercise 6: experiment with the learning rate. Past 2/λmax (about 2 for unit features) every
/// step overshoots further: learning rate 3 fails as diverged, naming the epoch and the remedy,
/// where the book's 0.03 succeeds.
/// </summary>
public sealed class LearningRateTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Learning_rate_3_fails_as_diverged_with_its_reason()
    {
        Job queued = await _client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "learningRate": 3, "seed": 7 } }""");

        Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Null(job.Result);
        Assert.Contains("Training diverged at epoch", job.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("Lower the learning rate", job.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_books_learning_rate_on_the_same_data_succeeds()
    {
        Job job = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "learningRate": 0.03, "seed": 7 } }""");

        Assert.True(job.Result!.FinalSquaredLoss < 1e-3);
    }
}
