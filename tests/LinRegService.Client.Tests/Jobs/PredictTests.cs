using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary><c>PredictAsync</c>: the learned model's predictions, and each refusal as a <see cref="LinRegServiceException"/>.</summary>
public sealed class PredictTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Predictions_are_the_learned_model_applied_to_each_row()
    {
        Job job = await Client.WaitAsync((await Client.SubmitAsync(new JobRequest())).Id, TimeSpan.FromSeconds(30));
        JobResult model = job.Result!;

        PredictResponse answer = await Client.PredictAsync(job.Id, [[0f, 0f], [1f, 2f], [-0.5f, 0.25f]]);

        Assert.Equal("/api/jobs/" + job.Id + "/predict", Sent[^1]);
        Assert.Equal(3, answer.Predictions.Count);
        Assert.Equal(model.Bias, answer.Predictions[0]);
        Assert.Equal(model.Bias + model.Weights[0] + (2.0 * model.Weights[1]), answer.Predictions[1], 5);
        Assert.Equal(model.Bias - (0.5 * model.Weights[0]) + (0.25 * model.Weights[1]), answer.Predictions[2], 5);
        Assert.InRange(answer.Predictions[1], 4.2 + 2 - 6.8 - 0.01, 4.2 + 2 - 6.8 + 0.01); // the book's truth: b + w₀ + 2w₁
    }

    [Fact]
    public async Task A_row_of_the_wrong_width_is_a_400_naming_it()
    {
        Job job = await Client.WaitAsync((await Client.SubmitAsync(new JobRequest())).Id, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.PredictAsync(job.Id, [[1f, 2f], [1f]]));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(["row 1 has 1 value; the job has 2 features."], error.Errors["features[1]"]);
        Assert.Contains("features[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_has_not_succeeded_is_a_409()
    {
        Job failed = await Client.WaitAsync((await Client.SubmitAsync(TestJobs.Diverging())).Id, TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Failed, failed.Status);

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.PredictAsync(failed.Id, [[1f, 2f]]));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Contains("is failed", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_job_is_a_404_exception()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.PredictAsync("no-such-job", [[1f, 2f]]));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("Job not found", error.Title);
    }

    [Fact]
    public async Task Arguments_are_checked_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Client.PredictAsync("j1", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.PredictAsync(" ", [[1f]]));
        Assert.Empty(Sent);
    }
}
