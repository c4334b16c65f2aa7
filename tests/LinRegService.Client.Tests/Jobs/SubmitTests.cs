using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary><c>SubmitAsync</c> and <c>WaitAsync</c>: the book's run, idempotency keys, and bad input as a typed exception.</summary>
public sealed class SubmitTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Books_run_waits_to_success_with_weights_near_the_truth()
    {
        Job queued = await Client.SubmitAsync(new JobRequest());

        Assert.Equal(JobStatus.Queued, queued.Status);
        Job done = await Client.WaitAsync(queued.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(3, done.EpochLosses.Count);
        JobResult result = Assert.IsType<JobResult>(done.Result);
        Assert.Equal(2f, result.Weights[0], 0.01f);
        Assert.Equal(-3.4f, result.Weights[1], 0.01f);
        Assert.Equal(4.2f, result.Bias, 0.01f);
        Assert.Equal([2f, -3.4f], done.Request.Dataset!.Weights!);
        Assert.NotNull(done.Request.Training!.Seed);
    }

    [Fact]
    public async Task Given_seeds_travel_as_sent_and_come_back_in_the_request()
    {
        var request = new JobRequest
        {
            Dataset = new DatasetRequest { Examples = 200, Seed = 42, NoiseStd = 0.02f },
            Training = new TrainingRequest { BatchSize = 20, Epochs = 4, Seed = 7 },
            SampleCount = 3,
        };

        Job done = await Client.WaitAsync((await Client.SubmitAsync(request)).Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(42, done.Request.Dataset!.Seed);
        Assert.Equal(0.02f, done.Request.Dataset.NoiseStd);
        Assert.Equal(7, done.Request.Training!.Seed);
        Assert.Equal(20, done.Request.Training.BatchSize);
        Assert.Equal(4, done.EpochLosses.Count);
        Assert.Equal(3, done.Samples!.Labels.Count);
    }

    [Fact]
    public async Task Same_idempotency_key_returns_the_same_job()
    {
        string key = Guid.NewGuid().ToString();
        var request = new JobRequest { SampleCount = 2 };

        Job first = await Client.SubmitAsync(request, key);
        Job again = await Client.SubmitAsync(request, key);
        Job other = await Client.SubmitAsync(request, Guid.NewGuid().ToString());

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Request.Dataset!.Seed, again.Request.Dataset!.Seed);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Contains(Sent, path => path == "/api/jobs");
    }

    [Fact]
    public async Task Idempotency_key_with_another_request_is_a_409()
    {
        string key = Guid.NewGuid().ToString();
        await Client.SubmitAsync(new JobRequest { SampleCount = 1 }, key);

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.SubmitAsync(new JobRequest { SampleCount = 2 }, key));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal("Idempotency-Key reused", error.Title);
    }

    [Fact]
    public async Task Bad_input_is_a_400_exception_naming_each_field()
    {
        var request = new JobRequest
        {
            Dataset = new DatasetRequest { NoiseStd = -1 },
            Training = new TrainingRequest { BatchSize = 0 },
        };

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.SubmitAsync(request));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(["dataset.noiseStd", "training.batchSize"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(error.Errors.Values, messages => Assert.NotEmpty(messages));
        Assert.Contains("batchSize", error.Errors["training.batchSize"][0], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Title));
        Assert.Contains("training.batchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_idempotency_key_is_a_400_naming_the_header()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.SubmitAsync(new JobRequest(), new string('k', 201)));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.True(error.Errors.ContainsKey("Idempotency-Key"), error.Message);
    }
}
