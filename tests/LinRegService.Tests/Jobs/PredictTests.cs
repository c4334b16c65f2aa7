using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// <c>POST /api/jobs/{id}/predict</c>: x·w + b with the learned model (checked against a float64
/// sum), 409 for a job without one, 404, and a 400 naming the bad row for every kind of bad input.
/// </summary>
public sealed class PredictTests(PredictTests.BookJob service) : IClassFixture<PredictTests.BookJob>
{
    private const int RowLimit = 50;

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Predictions_are_x_dot_learned_w_plus_learned_b()
    {
        float[][] rows = [[0, 0], [1, 1], [-2.5f, 0.75f], [1000, -1000], [1e-3f, 3e4f]];

        PredictResponse answer = await PredictOkAsync(ToJson(rows));

        JobResult model = service.Job.Result!;
        Assert.Equal(rows.Length, answer.Predictions.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            double expected = model.Bias;
            double magnitude = Math.Abs(model.Bias);
            for (int k = 0; k < rows[i].Length; k++)
            {
                expected += (double)rows[i][k] * model.Weights[k];
                magnitude += Math.Abs((double)rows[i][k] * model.Weights[k]);
            }
            double bound = 1e-6 * Math.Max(1, magnitude);
            Assert.True(Math.Abs(expected - answer.Predictions[i]) <= bound,
                $"row {i}: expected {expected:R}, got {answer.Predictions[i]:R} (bound {bound:E2})");
        }
        Assert.Equal(model.Bias, answer.Predictions[0]); // all-zero features: exactly the bias
    }

    [Fact]
    public async Task Predictions_of_the_jobs_own_rows_are_near_their_labels()
    {
        JobSamples samples = service.Job.Samples!;

        PredictResponse answer = await PredictOkAsync(ToJson(samples.Features));

        // The book's noise has std 0.01: a learned model misses each label by a few hundredths at most.
        Assert.Equal(samples.Labels.Count, answer.Predictions.Count);
        for (int i = 0; i < samples.Labels.Count; i++)
        {
            Assert.InRange(answer.Predictions[i] - samples.Labels[i], -0.05, 0.05);
        }
    }

    [Fact]
    public async Task Answer_json_is_predictions_in_the_rows_order()
    {
        using HttpResponseMessage response = await PostAsync(service.Job.Id, """{ "features": [[0, 0], [1, 0], [0, 1]] }""");
        JsonObject json = await response.ReadJsonAsync(HttpStatusCode.OK);

        float[] predictions = [.. json["predictions"]!.AsArray().Select(p => p!.GetValue<float>())];
        Assert.Equal(3, predictions.Length);
        JobResult model = service.Job.Result!;
        Assert.Equal(model.Bias + model.Weights[0], predictions[1], 5);
        Assert.Equal(model.Bias + model.Weights[1], predictions[2], 5);
    }

    [Fact]
    public async Task Up_to_the_row_limit_is_accepted_and_one_more_is_a_400()
    {
        float[][] rows = [.. Enumerable.Range(0, RowLimit + 1).Select(i => new[] { i * 0.1f, -i * 0.1f })];

        PredictResponse atLimit = await PredictOkAsync(ToJson(rows[..RowLimit]));
        using HttpResponseMessage over = await PostAsync(service.Job.Id, ToJson(rows));

        Assert.Equal(RowLimit, atLimit.Predictions.Count);
        JsonObject problem = await Problem.AssertBadFieldsAsync(over, "features");
        Assert.Contains($"At most {RowLimit} rows", Message(problem, "features"), StringComparison.Ordinal);
        Assert.Contains($"got {RowLimit + 1}", Message(problem, "features"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "features": [[1, 2], [1]] }""", "features[1]", "row 1 has 1 value; the job has 2 features")]
    [InlineData("""{ "features": [[1, 2, 3]] }""", "features[0]", "row 0 has 3 values; the job has 2 features")]
    [InlineData("""{ "features": [[1, 2], [3, 4], []] }""", "features[2]", "row 2 has 0 values; the job has 2 features")]
    [InlineData("""{ "features": [[1, 2], null] }""", "features[1]", "row 1 is null")]
    [InlineData("""{ "features": [[1, 1e39]] }""", "features[0]", "row 0, value 1 is Infinity")]
    [InlineData("""{ "features": [[-1e39, 0]] }""", "features[0]", "every value must be a finite number")]
    [InlineData("""{ "features": [[0, 0], [3e38, -3e38]] }""", "features[1]", "The prediction for row 1 is Infinity, beyond float32's range")]
    [InlineData("""{ "features": [] }""", "features", "at least one row")]
    [InlineData("""{ }""", "features", "at least one row")]
    [InlineData("""{ "features": null }""", "features", "at least one row")]
    public async Task A_bad_row_is_a_400_naming_it(string body, string field, string message)
    {
        using HttpResponseMessage response = await PostAsync(service.Job.Id, body);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, field);
        Assert.Contains(message, Message(problem, field), StringComparison.Ordinal);
        Assert.Single(problem["errors"]!.AsObject());
    }

    [Fact]
    public async Task Every_bad_row_is_named_up_to_twenty()
    {
        string many = ToJson([.. Enumerable.Range(0, 30).Select(_ => (float[])[1f])]);
        using HttpResponseMessage two = await PostAsync(service.Job.Id, """{ "features": [[1], [1, 2], [1, 2, 3]] }""");
        using HttpResponseMessage thirty = await PostAsync(service.Job.Id, many);

        JsonObject problem = await Problem.AssertBadFieldsAsync(two, "features[0]", "features[2]");
        Assert.Equal(2, problem["errors"]!.AsObject().Count);
        JsonObject capped = await Problem.AssertBadFieldsAsync(thirty, "features[0]", "features[19]");
        Assert.Equal(20, capped["errors"]!.AsObject().Count);
    }

    [Theory]
    [InlineData("""{ "features": [["1", 2]] }""")]
    [InlineData("""{ "features": [[1, 2]], "extra": 1 }""")]
    [InlineData("""{ "features": [1, 2] }""")]
    [InlineData("""null""")]
    [InlineData("""{ "features": [[1, 2] """)]
    public async Task A_body_that_is_not_rows_of_numbers_is_a_400(string body)
    {
        using HttpResponseMessage response = await PostAsync(service.Job.Id, body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_job_is_a_404_problem()
    {
        using HttpResponseMessage response = await PostAsync("no-such-job", """{ "features": [[1, 2]] }""");

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-job", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_job_cannot_predict()
    {
        Job queued = await _client.SubmitAsync("""{ "dataset": { "featureStd": 1 }, "training": { "learningRate": 10 } }""");
        Job failed = await _client.WaitForFinishAsync(queued.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);

        using HttpResponseMessage response = await PostAsync(failed.Id, """{ "features": [[1, 2]] }""");

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("is failed", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_or_queued_job_cannot_predict()
    {
        // One worker: the first job runs (until canceled), the second waits behind it.
        Job running = await _client.SubmitAsync(Requests.LongJob(examples: 100_000, features: 2, epochs: 10_000));
        Job queued = await _client.SubmitAsync();
        try
        {
            await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
            Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(queued.Id)).Status);

            using HttpResponseMessage whileRunning = await PostAsync(running.Id, """{ "features": [[1, 2]] }""");
            using HttpResponseMessage whileQueued = await PostAsync(queued.Id, """{ "features": [[1, 2]] }""");

            Assert.Contains("is running", (string?)(await Problem.AssertAsync(whileRunning, HttpStatusCode.Conflict))["detail"], StringComparison.Ordinal);
            Assert.Contains("is queued", (string?)(await Problem.AssertAsync(whileQueued, HttpStatusCode.Conflict))["detail"], StringComparison.Ordinal);
        }
        finally
        {
            using HttpResponseMessage cancelQueued = await _client.CancelAsync(queued.Id);
            using HttpResponseMessage cancelRunning = await _client.CancelAsync(running.Id);
            await _client.WaitForFinishAsync(running.Id);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string id, string json) =>
        _client.PostAsync($"/api/jobs/{id}/predict", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<PredictResponse> PredictOkAsync(string json)
    {
        using HttpResponseMessage response = await PostAsync(service.Job.Id, json);
        return await response.ReadAsAsync<PredictResponse>(HttpStatusCode.OK);
    }

    private static string ToJson(IEnumerable<IEnumerable<float>> rows) =>
        System.Text.Json.JsonSerializer.Serialize(new { features = rows }, ApiJson.Options);

    private static string Message(JsonObject problem, string field) =>
        string.Join(" ", problem["errors"]![field]!.AsArray().Select(m => (string?)m));

    /// <summary>One worker, a row limit of <see cref="RowLimit"/>, and one finished book run to predict with.</summary>
    public sealed class BookJob : ServiceFixture, IAsyncLifetime
    {
        private Job? _job;

        public Job Job => _job ?? throw new InvalidOperationException("not initialized");

        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:MaxPredictRows"] = RowLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public async Task InitializeAsync()
        {
            HttpClient client = CreateClient();
            Job queued = await client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
            _job = await client.WaitForFinishAsync(queued.Id);
            Assert.Equal(JobStatus.Succeeded, _job.Status);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
