using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>The book's run end to end through HTTP: <c>POST {}</c>, poll, and read what it learned.</summary>
public sealed class BookRunTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Empty_request_is_accepted_as_queued_with_a_location()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync("{}");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Job job = ApiJson.Read<Job>(body);
        Assert.Equal($"/api/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        Assert.Contains("\"status\":\"queued\"", body, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Queued, job.Status);
        await _client.WaitForFinishAsync(job.Id);
    }

    [Fact]
    public async Task Empty_request_runs_the_books_example_to_success()
    {
        Job queued = await _client.SubmitAsync("{}");

        Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Null(job.Error);
        Assert.Equal(3, job.EpochLosses.Count);
        Assert.Equal(new JobProgress(3, 3), job.Progress);
        Assert.InRange(job.EpochLosses[^1], 0, 1e-4);
        Assert.True(job.Attempts >= 1);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);

        JobResult result = Assert.IsType<JobResult>(job.Result);
        Assert.Equal(2, result.Weights.Count);
        double distance = Math.Sqrt(Math.Pow(result.Weights[0] - 2.0, 2) + Math.Pow(result.Weights[1] + 3.4, 2));
        Assert.True(distance < 0.01, $"|w − [2, −3.4]| = {distance}");
        Assert.InRange(result.Bias, 4.2f - 0.01f, 4.2f + 0.01f);
        Assert.Equal(2.0f - result.Weights[0], result.WeightError![0], 1e-6f);
        Assert.Equal(-3.4f - result.Weights[1], result.WeightError![1], 1e-6f);
        ClosedFormResult closedForm = Assert.IsType<ClosedFormResult>(result.ClosedForm);
        Assert.Null(result.ClosedFormNote);
        Assert.Equal(2, closedForm.Weights.Count);
        Assert.InRange(closedForm.Loss, 0, 1e-4);
    }

    [Fact]
    public async Task Request_comes_back_with_the_books_defaults_and_seeds_filled_in()
    {
        Job queued = await _client.SubmitAsync("{}");
        Job job = await _client.WaitForFinishAsync(queued.Id);

        DatasetRequest dataset = Assert.IsType<DatasetRequest>(job.Request.Dataset);
        TrainingRequest training = Assert.IsType<TrainingRequest>(job.Request.Training);
        Assert.NotNull(dataset.Weights);
        Assert.Equal([2f, -3.4f], dataset.Weights);
        Assert.Equal(4.2f, dataset.Bias);
        Assert.Equal(1000, dataset.Examples);
        Assert.Equal(0.01f, dataset.NoiseStd);
        Assert.Equal(1f, dataset.FeatureStd);
        Assert.NotNull(dataset.Seed);
        Assert.Equal(0.03f, training.LearningRate);
        Assert.Equal(10, training.BatchSize);
        Assert.Equal(3, training.Epochs);
        Assert.Equal(0.01f, training.InitStd);
        Assert.NotNull(training.Seed);
        Assert.Equal(10, job.Request.SampleCount);
        Assert.Equal(queued.Request, job.Request, RequestComparer.Instance);
    }

    [Fact]
    public async Task Samples_hold_the_first_ten_rows_of_two_features()
    {
        Job queued = await _client.SubmitAsync("{}");
        Job job = await _client.WaitForFinishAsync(queued.Id);

        JobSamples samples = Assert.IsType<JobSamples>(job.Samples);
        Assert.Equal(10, samples.Features.Count);
        Assert.All(samples.Features, row => Assert.Equal(2, row.Count));
        Assert.Equal(10, samples.Labels.Count);
        // y = Xw + b + ε with ε ~ N(0, 0.01²): every label is within 0.1 of the noiseless line.
        for (int i = 0; i < 10; i++)
        {
            double line = (2 * samples.Features[i][0]) - (3.4 * samples.Features[i][1]) + 4.2;
            Assert.InRange(samples.Labels[i], line - 0.1, line + 0.1);
        }
    }

    [Fact]
    public async Task Finished_job_json_uses_the_contracts_names_and_values()
    {
        Job queued = await _client.SubmitAsync("{}");
        await _client.WaitForFinishAsync(queued.Id);

        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{queued.Id}");
        string body = await response.Content.ReadAsStringAsync();
        JsonObject json = ApiJson.Parse(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":\"succeeded\"", body, StringComparison.Ordinal);
        Assert.Equal(queued.Id, (string?)json["id"]);
        Assert.Equal(3, json["epochLosses"]!.AsArray().Count);
        Assert.Equal(3, (int?)json["progress"]!["epoch"]);
        Assert.Equal(3, (int?)json["progress"]!["epochs"]);
        JsonObject result = json["result"]!.AsObject();
        foreach (string name in new[] { "weights", "bias", "weightError", "biasError", "closedForm", "timings" })
        {
            Assert.True(result.ContainsKey(name), $"result has no '{name}': {body}");
        }
        Assert.Equal(2, result["weightError"]!.AsArray().Count);
        Assert.True(result["closedForm"]!.AsObject().ContainsKey("loss"), body);
        Assert.Equal(10, json["samples"]!["features"]!.AsArray().Count);
        Assert.Equal(10, json["samples"]!["labels"]!.AsArray().Count);
        Assert.Null(json["error"]);
        Assert.True((long?)json["request"]!["dataset"]!["seed"] is not null, body);
        Assert.True((long?)json["request"]!["training"]!["seed"] is not null, body);
    }
}
