using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Tests.Identity;
using LinRegService.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.DatasetJobs;

/// <summary>
/// Jobs on a stored dataset (<c>"dataset": {"id": …}</c>): the closed form is the float64 least
/// squares of the stored rows, standardize trains columns of very different scales, and samples,
/// plots, predict, warm start and sweeps work on the stored rows.
/// </summary>
public sealed class DatasetJobTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    /// <summary>y = 3000·a + 0.002·b + 0.5·c − 5 + noise with a ~ 1e-3, b ~ 1e3, c ~ 1 in scale.</summary>
    private static (float[][] Features, float[] Labels) SkewedRows(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            float a = (float)(1e-3 * (random.NextDouble() - 0.5));
            float b = (float)(1e3 * (random.NextDouble() - 0.5));
            float c = (float)(random.NextDouble() - 0.5);
            features[i] = [a, b, c];
            labels[i] = (float)((3000 * a) + (0.002 * b) + (0.5 * c) - 5 + (0.05 * (random.NextDouble() - 0.5)));
        }
        return (features, labels);
    }

    private Task<DatasetRecord> StoreSkewedAsync(int rows = 2000, int seed = 11)
    {
        (float[][] features, float[] labels) = SkewedRows(rows, seed);
        return service.Factory.StoreAsync(["tiny", "huge", "unit"], "target", features, labels, name: "skewed");
    }

    private static string Body(string datasetId, string training) => $$"""{ "dataset": { "id": "{{datasetId}}" }, "training": {{training}} }""";

    [Fact]
    public async Task The_closed_form_is_the_float64_least_squares_of_the_stored_rows_and_standardize_reaches_it()
    {
        using HttpClient client = service.CreateClient();
        (float[][] features, float[] labels) = SkewedRows(2000, 11);
        DatasetRecord dataset = await service.Factory.StoreAsync(["tiny", "huge", "unit"], "target", features, labels);

        Job submitted = await client.SubmitAsync(Body(dataset.Id, """{ "standardize": true, "learningRate": 0.05, "batchSize": 20, "epochs": 30, "seed": 1 }"""));
        Job job = await client.WaitForStatusAsync(submitted.Id, JobStatus.Succeeded);

        // float64 least squares with an intercept column, by QR on the very same float32 rows.
        Matrix<double> z = Matrix<double>.Build.Dense(labels.Length, 4, (i, j) => j < 3 ? features[i][j] : 1.0);
        Vector<double> y = Vector<double>.Build.Dense(labels.Length, i => labels[i]);
        Vector<double> theta = z.QR().Solve(y);
        double optimumLoss = (z * theta - y).PointwisePower(2).Sum() / 2 / labels.Length;
        ClosedFormResult closedForm = job.Result!.ClosedForm!;
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Math.Abs(closedForm.Weights[j] - theta[j]) <= 1e-5 * Math.Abs(theta[j]), $"w[{j}] = {closedForm.Weights[j]}, float64 {theta[j]}");
        }
        Assert.True(Math.Abs(closedForm.Bias - theta[3]) <= 1e-5 * Math.Abs(theta[3]), $"b = {closedForm.Bias}, float64 {theta[3]}");
        Assert.Equal(optimumLoss, closedForm.Loss, optimumLoss * 1e-4);

        // SGD on standardized columns within 1 % of the optimum's loss, the distance reported as asked.
        JobResult result = job.Result;
        Assert.InRange(result.FinalSquaredLoss, closedForm.Loss * 0.999, closedForm.Loss * 1.01);
        Assert.True(job.Request.Training!.Standardize);
        ClosedFormDistance distance = result.ClosedFormDistance!;
        Assert.Equal(result.FinalSquaredLoss - closedForm.Loss, distance.Loss, 1e-12);
        double norm = Math.Sqrt(result.Weights.Select((w, j) => Math.Pow(w - closedForm.Weights[j], 2)).Sum());
        Assert.Equal(norm, distance.Weights, norm * 1e-5 + 1e-9);
        Assert.Equal(Math.Abs(result.Bias - closedForm.Bias), distance.Bias, 1e-5);
        Assert.Equal(result.FinalSquaredLoss, job.EpochLosses[^1], result.FinalSquaredLoss * 1e-6);

        // No truth: the errors are null, written as nulls.
        JsonObject json = await client.GetJobJsonAsync(job.Id);
        Assert.Null(job.Result.WeightError);
        Assert.Null(job.Result.BiasError);
        Assert.True(json["result"]!.AsObject().ContainsKey("weightError") && json["result"]!["weightError"] is null);
        Assert.True(json["result"]!.AsObject().ContainsKey("biasError") && json["result"]!["biasError"] is null);
        Assert.Equal(dataset.Id, (string?)json["request"]!["dataset"]!["id"]);
        // Nothing synthetic filled in (every member is written, the synthetic ones as nulls): the echo resubmits as it is.
        Assert.Equal(["id"], json["request"]!["dataset"]!.AsObject().Where(p => p.Value is not null).Select(p => p.Key));
    }

    [Fact]
    public async Task Without_standardize_the_same_learning_rate_diverges_on_the_raw_columns()
    {
        using HttpClient client = service.CreateClient();
        DatasetRecord dataset = await StoreSkewedAsync(seed: 12);

        Job job = await client.WaitForFinishAsync((await client.SubmitAsync(Body(dataset.Id, """{ "learningRate": 0.05, "batchSize": 20, "epochs": 30 }"""))).Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("diverged", job.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synthetic_job_reports_its_distance_to_the_closed_form_beside_its_errors()
    {
        using HttpClient client = service.CreateClient();

        Job job = await client.WaitForStatusAsync((await client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""")).Id, JobStatus.Succeeded);

        Assert.NotNull(job.Result!.WeightError);
        Assert.NotNull(job.Result.BiasError);
        ClosedFormDistance distance = job.Result.ClosedFormDistance!;
        Assert.InRange(distance.Weights, 0f, 0.01f);
        Assert.Equal(job.Result.FinalSquaredLoss - job.Result.ClosedForm!.Loss, distance.Loss, 1e-12);
        Assert.False(job.Request.Training!.Standardize);
    }

    [Fact]
    public async Task Synthetic_parameters_beside_an_id_and_an_unknown_id_are_bad_fields()
    {
        using HttpClient client = service.CreateClient();
        DatasetRecord dataset = await StoreSkewedAsync(rows: 50, seed: 13);

        using HttpResponseMessage mixed = await client.PostJsonAsync(
            $$"""{ "dataset": { "id": "{{dataset.Id}}", "weights": [1], "seed": 3, "order": "sortedByLabel", "outliers": { "rows": [1], "label": 5 } } }""");
        using HttpResponseMessage unknown = await client.PostJsonAsync("""{ "dataset": { "id": "no-such-dataset" } }""");
        using HttpResponseMessage batch = await client.PostJsonAsync(Body(dataset.Id, """{ "batchSize": 51 }"""));

        await Problem.AssertBadFieldsAsync(mixed, "dataset.weights", "dataset.seed", "dataset.order", "dataset.outliers");
        JsonObject problem = await Problem.AssertBadFieldsAsync(unknown, "dataset.id");
        Assert.Equal("No dataset has the id 'no-such-dataset'.", (string?)problem["errors"]!["dataset.id"]![0]);
        await Problem.AssertBadFieldsAsync(batch, "training.batchSize");
    }

    [Fact]
    public async Task Samples_plots_predict_and_a_warm_start_use_the_stored_rows()
    {
        using HttpClient client = service.CreateClient();
        (float[][] features, float[] labels) = SkewedRows(300, 14);
        DatasetRecord dataset = await service.Factory.StoreAsync(["tiny", "huge", "unit"], "target", features, labels);

        Job job = await client.WaitForStatusAsync(
            (await client.SubmitAsync($$"""{ "dataset": { "id": "{{dataset.Id}}" }, "training": { "standardize": true, "epochs": 20 }, "sampleCount": 4 }""")).Id,
            JobStatus.Succeeded);

        Assert.Equal(labels.Take(4), job.Samples!.Labels);
        Assert.Equal(features.Take(4).Select(r => r.ToList()), job.Samples.Features.Select(r => r.ToList()));
        using HttpResponseMessage pageAnswer = await client.GetAsync($"/api/jobs/{job.Id}/samples?offset=297&count=10");
        SamplesPage page = await pageAnswer.ReadAsAsync<SamplesPage>(HttpStatusCode.OK);
        Assert.Equal(297, page.Offset);
        Assert.Equal(labels.Skip(297), page.Labels);
        Assert.Equal(features[298], page.Features[1]);

        SvgPlot plot = await SvgPlot.GetAsync(client, $"/api/jobs/{job.Id}/plots/data.svg?feature=1");
        Assert.Contains(plot.Texts, t => t.Contains("huge", StringComparison.Ordinal));
        Assert.Contains(plot.Texts, t => t == "target");
        using HttpResponseMessage badFeature = await client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg?feature=3");
        await Problem.AssertBadFieldsAsync(badFeature, "feature");

        using HttpResponseMessage predicted = await client.PostAsJsonAsync($"/api/jobs/{job.Id}/predict",
            new PredictRequest { Features = [features[0], features[1]] }, ApiJson.Options);
        PredictResponse predictions = await predicted.ReadAsAsync<PredictResponse>(HttpStatusCode.OK);
        JobResult model = job.Result!;
        for (int i = 0; i < 2; i++)
        {
            double expected = features[i].Select((x, j) => (double)x * model.Weights[j]).Sum() + model.Bias;
            Assert.Equal(expected, predictions.Predictions[i], 1e-3);
        }
        using HttpResponseMessage tooFew = await client.PostAsJsonAsync($"/api/jobs/{job.Id}/predict", new PredictRequest { Features = [[1f, 2f]] }, ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, tooFew.StatusCode);

        Job continued = await client.WaitForStatusAsync(
            (await client.SubmitAsync($$"""{ "training": { "warmStartFrom": "{{job.Id}}", "standardize": true, "epochs": 2 } }""")).Id, JobStatus.Succeeded);
        Assert.Equal(dataset.Id, continued.Request.Dataset!.Id);
        Assert.InRange(continued.EpochLosses[0], 0, job.EpochLosses[0]); // it starts where the first job ended, not from scratch
        Assert.Null(continued.Result!.WeightError);

        // The dataset deleted: the finished jobs keep their results, but their rows are gone.
        Assert.Equal(DatasetDeleteOutcome.Deleted,
            await service.Factory.Services.GetRequiredService<IDatasetStore>().DeleteAsync(dataset.Id, CancellationToken.None));
        using HttpResponseMessage gone = await client.GetAsync($"/api/jobs/{job.Id}/samples");
        await Problem.AssertAsync(gone, HttpStatusCode.Conflict);
        using HttpResponseMessage again = await client.PostJsonAsync($$"""{ "training": { "warmStartFrom": "{{job.Id}}" } }""");
        await Problem.AssertBadFieldsAsync(again, "training.warmStartFrom");
        Assert.Equal(JobStatus.Succeeded, (await client.GetJobAsync(job.Id)).Status);
    }

    [Fact]
    public async Task A_sweep_over_learning_rates_runs_on_a_stored_dataset()
    {
        using HttpClient client = service.CreateClient();
        DatasetRecord dataset = await StoreSkewedAsync(rows: 400, seed: 15);

        Sweep sweep = await client.SubmitSweepAsync($$"""
            { "base": { "dataset": { "id": "{{dataset.Id}}" }, "training": { "standardize": true, "epochs": 10 } },
              "grid": { "training.learningRate": [0.01, 0.05] } }
            """);
        Sweep done = await client.WaitForSweepAsync(sweep.Id);

        Assert.Equal(2, done.Jobs.Count);
        Assert.All(done.Jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.All(done.Jobs, j => Assert.Null(j.WeightErrorNorm));
        Assert.All(done.Jobs, j => Assert.NotNull(j.FinalSquaredLoss));
        Job first = await client.GetJobAsync(done.Jobs[0].JobId);
        Assert.Equal(dataset.Id, first.Request.Dataset!.Id);

        // A synthetic field in the grid is one beside the id at every point: refused, nothing stored.
        string[] sweepsBefore = await IdsAsync(client, "/api/sweeps?limit=100");
        string[] jobsBefore = await IdsAsync(client, "/api/jobs?limit=100");
        using HttpResponseMessage synthetic = await client.PostSweepAsync($$"""
            { "base": { "dataset": { "id": "{{dataset.Id}}" } }, "grid": { "dataset.examples": [100, 200] } }
            """);
        await Problem.AssertBadFieldsAsync(synthetic, "grid.dataset.examples");
        Assert.Equal(sweepsBefore, await IdsAsync(client, "/api/sweeps?limit=100"));
        Assert.Equal(jobsBefore, await IdsAsync(client, "/api/jobs?limit=100"));
    }

    /// <summary>The ids of a list's first page, newest first.</summary>
    private static async Task<string[]> IdsAsync(HttpClient client, string list) =>
        [.. ApiJson.Parse(await client.GetStringAsync(new Uri(list, UriKind.Relative)))["items"]!.AsArray().Select(item => (string)item!["id"]!)];
}

/// <summary>Another key's dataset is no dataset: the job is a 400 on <c>dataset.id</c>, as for an unknown id.</summary>
public sealed class DatasetOwnershipTests(KeyedServiceFixture service) : IClassFixture<KeyedServiceFixture>
{
    [Fact]
    public async Task A_job_on_another_keys_dataset_is_refused_as_unknown_and_the_owner_trains_on_it()
    {
        (CreatedApiKey alice, HttpClient aliceClient) = await service.UserAsync("alice");
        (_, HttpClient bobClient) = await service.UserAsync("bob");
        DatasetRecord dataset = await service.Factory.StoreAsync(["x"], "y", [[1f], [2f], [3f], [4f]], [2f, 4f, 6f, 8f], owner: alice.Id);
        string body = $$"""{ "dataset": { "id": "{{dataset.Id}}" }, "training": { "batchSize": 2 } }""";

        using HttpResponseMessage bobs = await bobClient.PostJsonAsync(body);
        Job alices = await aliceClient.SubmitAsync(body);

        JsonObject problem = await Problem.AssertBadFieldsAsync(bobs, "dataset.id");
        Assert.Equal($"No dataset has the id '{dataset.Id}'.", (string?)problem["errors"]!["dataset.id"]![0]);
        Assert.Equal(JobStatus.Succeeded, (await aliceClient.WaitForFinishAsync(alices.Id)).Status);
        aliceClient.Dispose();
        bobClient.Dispose();
    }
}
