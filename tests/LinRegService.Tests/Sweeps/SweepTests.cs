using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Sweeps;

/// <summary>A small queue and sweep limit, so refusals can be reached.</summary>
public sealed class SweepFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Sweeps:MaxJobs"] = "12",
    };
}

/// <summary>Sweeps through HTTP: the grid's points, one dataset, every refusal before anything is stored, the stream, cancel and delete.</summary>
public sealed class SweepTests(SweepFixture service) : IClassFixture<SweepFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_grid_becomes_one_job_per_point_in_grid_order_on_one_dataset()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""
            { "base": { "training": { "epochs": 2 } }, "grid": { "training.learningRate": [0.01, 0.1, 0.3], "training.batchSize": [10, 100] } }
            """);
        Assert.Equal(6, sweep.Jobs.Count);
        Assert.Equal([(0.01, 10), (0.01, 100), (0.1, 10), (0.1, 100), (0.3, 10), (0.3, 100)],
            sweep.Jobs.Select(j => (Math.Round(j.Values["training.learningRate"].GetDouble(), 6), j.Values["training.batchSize"].GetInt32())));
        long datasetSeed = sweep.Request.Base!.Dataset!.Seed!.Value;
        long trainingSeed = sweep.Request.Base.Training!.Seed!.Value;

        Sweep done = await _client.WaitForSweepAsync(sweep.Id);
        Assert.Equal(SweepStatus.Finished, done.Status);
        Assert.Equal(new SweepProgress(6, 0, 0, 6, 0, 0), done.Progress);
        foreach (SweepJob entry in done.Jobs)
        {
            Job job = await _client.GetJobAsync(entry.JobId);
            Assert.Equal(sweep.Id, job.SweepId);
            Assert.Equal(datasetSeed, job.Request.Dataset!.Seed);
            Assert.Equal(trainingSeed, job.Request.Training!.Seed);
            Assert.Equal(2, job.Request.Training.Epochs);
            Assert.Equal(job.EpochLosses[^1], entry.FinalLoss);
            Assert.Equal(2, entry.EpochsRun);
            Assert.True(entry.WeightErrorNorm > 0 && entry.TrainMs >= 0);
        }
        // One dataset: every job's samples are the same rows.
        Job first = await _client.GetJobAsync(done.Jobs[0].JobId);
        Job last = await _client.GetJobAsync(done.Jobs[^1].JobId);
        Assert.Equal(first.Samples!.Labels, last.Samples!.Labels);
        SweepJob best = done.Jobs.Single(j => j.JobId == done.BestJobId);
        Assert.Equal(done.Jobs.Min(j => j.FinalSquaredLoss), best.FinalSquaredLoss);
    }

    [Fact]
    public async Task The_learning_rate_exercise_shows_divergence_and_slow_progress()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.learningRate": [0.001, 0.03, 3] } }""");
        Sweep done = await _client.WaitForSweepAsync(sweep.Id);
        SweepJob slow = done.Jobs[0], book = done.Jobs[1], large = done.Jobs[2];
        Assert.True(large.Diverged, large.Error);
        Assert.Equal(JobStatus.Failed, large.Status);
        Assert.Contains("diverged", large.Error, StringComparison.Ordinal);
        Assert.True(slow.FinalLoss > 100 * book.FinalLoss, $"lr 0.001 {slow.FinalLoss} vs lr 0.03 {book.FinalLoss}");
        Assert.Equal(book.JobId, done.BestJobId);
        Assert.Equal(new SweepProgress(3, 0, 0, 2, 1, 0), done.Progress);
    }

    [Theory]
    [InlineData("""{ "grid": { "training.nothing": [1] } }""", "grid.training.nothing")]
    [InlineData("""{ "grid": { } }""", "grid")]
    [InlineData("""{ "grid": { "training.batchSize": [10, "ten"] } }""", "grid.training.batchSize[1]")]
    [InlineData("""{ "grid": { "training.learningRate": [0.1, -1] } }""", "grid.training.learningRate")]
    [InlineData("""{ "grid": { "training.learningRate": [0.1, 0.2, 0.3, 0.4], "training.batchSize": [1, 2, 3, 4] } }""", "grid")]
    [InlineData("""{ "base": { "dataset": { "examples": 0 } }, "grid": { "training.seed": [1] } }""", "base.dataset.examples")]
    [InlineData("""{ "base": { "training": { "warmStartFrom": "x" } }, "grid": { "training.seed": [1] } }""", "base.training.warmStartFrom")]
    [InlineData("""{ "grid": { "training.warmStartFrom": ["x"] } }""", "grid.training.warmStartFrom")]
    public async Task A_bad_sweep_is_a_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        int before = (await _client.ListAsync("?limit=100")).Items.Count;
        using HttpResponseMessage response = await _client.PostSweepAsync(json);
        JsonObject problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        Assert.Equal(before, (await _client.ListAsync("?limit=100")).Items.Count);
    }

    [Fact]
    public async Task A_hostile_grid_gets_a_short_answer()
    {
        string manyNames = string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"\"training.made_up_{i}\": [1]"));
        using HttpResponseMessage names = await _client.PostSweepAsync($$"""{ "grid": { {{manyNames}} } }""");
        string answer = await names.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, names.StatusCode);
        Assert.True(answer.Length < 4096, $"a {manyNames.Length}-byte grid of unknown names got a {answer.Length}-byte answer");

        string manyValues = string.Join(", ", Enumerable.Range(0, 50_000));
        using HttpResponseMessage values = await _client.PostSweepAsync($$"""{ "grid": { "training.seed": [{{manyValues}}] } }""");
        JsonObject problem = await values.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 12 jobs", problem["errors"]!["grid"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_first_sweep_and_refuses_another_body()
    {
        const string body = """{ "grid": { "training.learningRate": [0.01, 0.03] } }""";
        Sweep first = await SubmitWithKeyAsync(body, "sweep-retry", HttpStatusCode.Accepted);
        Sweep again = await SubmitWithKeyAsync(body, "sweep-retry", HttpStatusCode.Accepted);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Jobs.Select(j => j.JobId), again.Jobs.Select(j => j.JobId));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent("""{ "grid": { "training.learningRate": [0.1] } }""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "sweep-retry");
        using HttpResponseMessage other = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Single(ApiJson.Parse(await _client.GetStringAsync("/api/sweeps?limit=100"))["items"]!.AsArray(), s => (string?)s!["id"] == first.Id);
    }

    private async Task<Sweep> SubmitWithKeyAsync(string body, string key, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        using HttpResponseMessage response = await _client.SendAsync(request);
        return await response.ReadAsAsync<Sweep>(status);
    }

    [Theory]
    [InlineData("""{ "grid": { "training.learningRate": [null, 0.1] } }""", "training.learningRate")]
    [InlineData("""{ "grid": { "training.loss": ["Squared", "HUBER"] } }""", "training.loss")]
    [InlineData("""{ "grid": { "dataset.outliers": [null, { "rows": [5], "label": 10000 }] } }""", "dataset.outliers")]
    [InlineData("""{ "grid": { "dataset.weights": [[2, -3.4], [1e0, 2E0]] } }""", "dataset.weights")]
    public async Task The_final_plot_draws_grid_values_however_they_were_spelled(string json, string field)
    {
        Sweep sweep = await _client.SubmitSweepAsync(json);
        await _client.WaitForSweepAsync(sweep.Id);
        foreach (string y in new[] { "finalSquaredLoss", "finalLoss", "weightError" })
        {
            using HttpResponseMessage plot = await _client.GetAsync($"/api/sweeps/{sweep.Id}/plots/final.svg?x={field}&y={y}");
            Assert.True(plot.IsSuccessStatusCode, $"{field}, {y}: {(int)plot.StatusCode} {await plot.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Two_bad_fields_under_one_grid_path_are_each_named()
    {
        using HttpResponseMessage response = await _client.PostSweepAsync("""{ "grid": { "dataset.outliers": [{ "rows": [5], "shift": 3 }] } }""");
        JsonObject problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        JsonObject errors = problem["errors"]!.AsObject();
        Assert.True(errors.Count >= 2 && errors.All(e => e.Key.StartsWith("grid.dataset.outliers", StringComparison.Ordinal)), problem.ToJsonString());
    }

    [Fact]
    public async Task A_plot_asked_again_unchanged_is_a_304()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.learningRate": [0.01, 0.1] } }""");
        await _client.WaitForSweepAsync(sweep.Id);
        using HttpResponseMessage first = await _client.GetAsync($"/api/sweeps/{sweep.Id}/plots/losses.svg");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{sweep.Id}/plots/losses.svg");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using HttpResponseMessage second = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        using var other = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{sweep.Id}/plots/final.svg");
        other.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using HttpResponseMessage final = await _client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, final.StatusCode); // another plot of the same sweep is another picture
    }

    [Fact]
    public async Task A_sweep_whose_jobs_were_deleted_one_by_one_streams_its_end()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [1] } }""");
        await _client.WaitForSweepAsync(sweep.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/jobs/{sweep.Jobs[0].JobId}")).StatusCode);
        using var cancel = new CancellationTokenSource(JobsApi.DefaultWait);
        await using Stream stream = await _client.GetStreamAsync($"/api/sweeps/{sweep.Id}/events", cancel.Token);
        var kinds = new List<string>();
        await foreach (SseItem<string> item in SseParser.Create(stream).EnumerateAsync(cancel.Token))
        {
            kinds.Add(item.EventType);
        }
        Assert.Equal(["sweep", "done"], kinds);
    }

    [Fact]
    public async Task The_event_stream_sends_every_epoch_of_every_job_then_done()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "base": { "training": { "epochs": 4 } }, "grid": { "training.learningRate": [0.01, 0.03] } }""");
        using var cancel = new CancellationTokenSource(JobsApi.DefaultWait);
        await using Stream stream = await _client.GetStreamAsync($"/api/sweeps/{sweep.Id}/events", cancel.Token);
        var epochs = new List<SweepEpochEvent>();
        var kinds = new List<string>();
        await foreach (SseItem<string> item in SseParser.Create(stream).EnumerateAsync(cancel.Token))
        {
            kinds.Add(item.EventType);
            if (item.EventType == "epoch")
            {
                epochs.Add(ApiJson.Read<SweepEpochEvent>(item.Data));
            }
        }
        Assert.Equal("sweep", kinds[0]);
        Assert.Equal("done", kinds[^1]);
        foreach (SweepJob job in sweep.Jobs)
        {
            Assert.Equal([1, 2, 3, 4], epochs.Where(e => e.JobId == job.JobId).Select(e => e.Epoch));
            Assert.Equal((await _client.GetJobAsync(job.JobId)).EpochLosses, epochs.Where(e => e.JobId == job.JobId).Select(e => e.Loss));
        }
    }

    [Fact]
    public async Task Cancel_ends_every_job_and_delete_removes_them()
    {
        Sweep sweep = await _client.SubmitSweepAsync($$"""{ "base": {{Requests.LongJob()}}, "grid": { "training.seed": [1, 2, 3] } }""");
        using (HttpResponseMessage early = await _client.DeleteAsync($"/api/sweeps/{sweep.Id}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }
        using (HttpResponseMessage canceled = await _client.PostAsync($"/api/sweeps/{sweep.Id}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, canceled.StatusCode);
        }
        Sweep ended = await _client.WaitForSweepAsync(sweep.Id);
        Assert.Equal(SweepStatus.Canceled, ended.Status);
        Assert.All(ended.Jobs, j => Assert.Equal(JobStatus.Canceled, j.Status));
        using (HttpResponseMessage again = await _client.PostAsync($"/api/sweeps/{sweep.Id}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        using (HttpResponseMessage deleted = await _client.DeleteAsync($"/api/sweeps/{sweep.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (HttpResponseMessage gone = await _client.GetAsync($"/api/sweeps/{sweep.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        foreach (SweepJob job in sweep.Jobs)
        {
            using HttpResponseMessage jobGone = await _client.GetAsync($"/api/jobs/{job.JobId}");
            Assert.Equal(HttpStatusCode.NotFound, jobGone.StatusCode);
        }
    }

    [Fact]
    public async Task Plots_draw_every_curve_and_the_final_loss_over_a_grid_field()
    {
        Sweep sweep = await _client.SubmitSweepAsync("""{ "grid": { "training.learningRate": [0.01, 0.1, 3], "training.batchSize": [10, 100] } }""");
        await _client.WaitForSweepAsync(sweep.Id);
        string losses = await _client.GetStringAsync($"/api/sweeps/{sweep.Id}/plots/losses.svg");
        Assert.Contains("learningRate=0.01, batchSize=10", losses, StringComparison.Ordinal);
        Assert.Contains("(diverged)", losses, StringComparison.Ordinal);
        string final = await _client.GetStringAsync($"/api/sweeps/{sweep.Id}/plots/final.svg?x=training.learningRate");
        Assert.Contains("batchSize=100", final, StringComparison.Ordinal);
        using HttpResponseMessage png = await _client.GetAsync($"/api/sweeps/{sweep.Id}/plots/final.png?x=training.batchSize");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        string weights = await _client.GetStringAsync($"/api/sweeps/{sweep.Id}/plots/final.svg?x=training.learningRate&y=weightError");
        Assert.Contains("Weight error against training.learningRate", weights, StringComparison.Ordinal);
        using (HttpResponseMessage badY = await _client.GetAsync($"/api/sweeps/{sweep.Id}/plots/final.svg?y=speed"))
        {
            Assert.NotNull((await badY.ReadJsonAsync(HttpStatusCode.BadRequest))["errors"]!["y"]);
        }
        using HttpResponseMessage bad = await _client.GetAsync($"/api/sweeps/{sweep.Id}/plots/final.svg?x=training.epochs");
        JsonObject problem = await bad.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["x"]);
    }

    [Fact]
    public async Task Lists_page_newest_first_without_the_jobs()
    {
        Sweep older = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [1] } }""");
        Sweep newer = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [2] } }""");
        JsonObject page = ApiJson.Parse(await _client.GetStringAsync("/api/sweeps?limit=1"));
        Assert.Equal(newer.Id, (string?)page["items"]![0]!["id"]);
        Assert.Empty(page["items"]![0]!["jobs"]!.AsArray());
        JsonObject next = ApiJson.Parse(await _client.GetStringAsync($"/api/sweeps?limit=1&cursor={(string)page["next"]!}"));
        Assert.Equal(older.Id, (string?)next["items"]![0]!["id"]);
    }
}

/// <summary>One worker and room for three queued jobs.</summary>
public sealed class SmallQueueFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Workers"] = "1",
        ["Jobs:MaxQueued"] = "3",
    };
}

/// <summary>A sweep is queued whole or not at all.</summary>
public sealed class SweepAdmissionTests(SmallQueueFixture service) : IClassFixture<SmallQueueFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_sweep_that_does_not_fit_the_queue_adds_none_of_its_jobs()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Job queued = await _client.SubmitAsync("{}");

        using (HttpResponseMessage full = await _client.PostSweepAsync("""{ "grid": { "training.seed": [1, 2, 3] } }"""))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
            Assert.NotNull(full.Headers.RetryAfter);
        }
        using (HttpResponseMessage never = await _client.PostSweepAsync("""{ "grid": { "training.seed": [1, 2, 3, 4] } }"""))
        {
            JsonObject problem = await never.ReadJsonAsync(HttpStatusCode.BadRequest);
            Assert.Contains("the queue holds at most 3", problem["errors"]!["grid"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        JobList queuedNow = await _client.ListAsync("?status=queued");
        Assert.Equal([queued.Id], queuedNow.Items.Select(j => j.Id));
        Assert.Empty(ApiJson.Parse(await _client.GetStringAsync("/api/sweeps"))["items"]!.AsArray());

        Sweep fits = await _client.SubmitSweepAsync("""{ "grid": { "training.seed": [1, 2] } }""");
        Assert.Equal(3, (await _client.ListAsync("?status=queued")).Items.Count);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.CancelAsync(running.Id)).StatusCode);
        Assert.Equal(SweepStatus.Finished, (await _client.WaitForSweepAsync(fits.Id)).Status);
    }
}
