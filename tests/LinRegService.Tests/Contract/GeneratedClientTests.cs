using System.Diagnostics;
using System.Text;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Contract;

/// <summary>
/// A client that NSwag generated from the live document (not one written by us) drives the real
/// service: every call deserializes what the service sends, plots and events come as streams, and
/// errors as NSwag's typed problems.
/// </summary>
public sealed class GeneratedClientTests(GeneratedClientFixture service) : IClassFixture<GeneratedClientFixture>
{
    private static readonly TimeSpan _pollEvery = TimeSpan.FromMilliseconds(50);

    private readonly GeneratedClient _generated = service.Generated;
    private readonly dynamic _client = service.Generated.CreateClient(service.CreateClient());

    [Fact]
    public async Task The_books_run_reads_back_with_losses_weights_samples_plots_and_events()
    {
        dynamic submitted = await _client.SubmitJobAsync(null, BookRun());
        Assert.Equal("Queued", submitted.Status.ToString());

        dynamic job = await WaitForStatusAsync((string)submitted.Id, "Succeeded");

        Assert.Equal(3, Enumerable.Count(job.EpochLosses));
        Assert.True((double)Enumerable.Last(job.EpochLosses) < 1e-3, "the last loss is small");
        float[] weights = Enumerable.ToArray<float>(job.Result.Weights);
        Assert.Equal(2f, weights[0], 0.01f);
        Assert.Equal(-3.4f, weights[1], 0.01f);
        Assert.Equal(4.2f, (float)job.Result.Bias, 0.01f);
        Assert.NotNull(job.Result.ClosedForm);
        Assert.Null(job.Error);
        Assert.Equal(10, Enumerable.Count(job.Samples.Labels));

        dynamic page = await _client.GetJobSamplesAsync(job.Id, 995, 10);
        Assert.Equal(995, (int)page.Offset);
        Assert.Equal(5, Enumerable.Count(page.Features));

        string svg = Encoding.UTF8.GetString(await ReadAllAsync(await _client.GetLossPlotSVGAsync(job.Id, null, null)));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        byte[] png = await ReadAllAsync(await _client.GetDataPlotPNGAsync(job.Id, 0, null, null));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        string events = Encoding.UTF8.GetString(await ReadAllAsync(await _client.WatchJobAsync(job.Id, null)));
        Assert.Contains("event: status", events, StringComparison.Ordinal);
        Assert.Contains("event: epoch", events, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", events, StringComparison.Ordinal);
        Assert.Contains("event: done", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_page_with_the_status_filter_and_the_cursor()
    {
        for (int i = 0; i < 3; i++)
        {
            dynamic job = await _client.SubmitJobAsync(null, BookRun());
            await WaitForStatusAsync((string)job.Id, "Succeeded");
        }
        dynamic succeeded = _generated.EnumValue("JobStatus", "Succeeded");

        // The last argument is owner (admin keys only; null: every job the caller sees).
        dynamic first = await _client.ListJobsAsync(succeeded, 2, null, null);
        Assert.Equal(2, Enumerable.Count(first.Items));
        Assert.NotNull(first.Next);
        dynamic second = await _client.ListJobsAsync(succeeded, 2, first.Next, null);

        Assert.NotEmpty(second.Items);
        IEnumerable<dynamic> items = [.. first.Items, .. second.Items];
        Assert.All(items, item => Assert.Equal("Succeeded", item.Status.ToString()));
        Assert.Equal(items.Count(), items.Select(item => (string)item.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_long_job_is_canceled_then_deleted_with_typed_conflicts_and_not_found()
    {
        dynamic submitted = await _client.SubmitJobAsync(null, LongJob());
        string id = submitted.Id;
        await WaitForStatusAsync(id, "Running");

        TypedApiError running = await GeneratedClient.ErrorOfAsync(() => _client.DeleteJobAsync(id));
        dynamic canceling = await _client.CancelJobAsync(id);
        await WaitForStatusAsync(id, "Canceled");
        TypedApiError finished = await GeneratedClient.ErrorOfAsync(() => _client.CancelJobAsync(id));
        await _client.DeleteJobAsync(id);
        TypedApiError gone = await GeneratedClient.ErrorOfAsync(() => _client.GetJobAsync(id));

        Assert.Contains(canceling.Status.ToString(), new[] { "Canceling", "Canceled" });
        Assert.Equal((409, "ProblemDetails"), (running.Status, running.BodyType));
        Assert.Equal(409, (int)running.Body.Status);
        Assert.Equal((409, "ProblemDetails"), (finished.Status, finished.BodyType));
        Assert.Equal((404, "ProblemDetails"), (gone.Status, gone.BodyType));
        Assert.Contains(id, (string)gone.Body.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_values_are_typed_validation_problems_naming_the_field()
    {
        dynamic request = BookRun();
        request.Dataset.Examples = 0;

        TypedApiError body = await GeneratedClient.ErrorOfAsync(() => _client.SubmitJobAsync(null, request));
        TypedApiError query = await GeneratedClient.ErrorOfAsync(() => _client.ListJobsAsync(null, 0, null, null));

        Assert.Equal((400, "HttpValidationProblemDetails"), (body.Status, body.BodyType));
        Assert.True(body.Body.Errors.ContainsKey("dataset.examples"), "errors names dataset.examples");
        Assert.Equal((400, "HttpValidationProblemDetails"), (query.Status, query.BodyType));
        Assert.True(query.Body.Errors.ContainsKey("limit"), "errors names limit");
    }

    [Fact]
    public async Task Health_answers_in_words_and_readiness_with_the_queue()
    {
        Assert.Equal("Healthy", await _client.LiveAsync());
        dynamic ready = await _client.ReadyAsync();
        Assert.Equal("Healthy", (string)ready.Status);
        Assert.Equal(0, (int)ready.Queue.Queued);
    }

    /// <summary>The book's run in the generated request types, seeds 42 and 7.</summary>
    private dynamic BookRun()
    {
        dynamic dataset = _generated.New("DatasetRequest");
        dataset.Weights = new List<float> { 2f, -3.4f };
        dataset.Bias = 4.2f;
        dataset.Examples = 1000;
        dataset.Seed = 42L;
        dynamic training = _generated.New("TrainingRequest");
        training.Seed = 7L;
        dynamic request = _generated.New("JobRequest");
        request.Dataset = dataset;
        request.Training = training;
        return request;
    }

    /// <summary>Many seconds of work (2M rows × 16 features, 50 epochs), to be canceled.</summary>
    private dynamic LongJob()
    {
        dynamic request = BookRun();
        request.Dataset.Weights = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? 1f : -1f).ToList();
        request.Dataset.Examples = 2_000_000;
        request.Training.Epochs = 50;
        request.SampleCount = 0;
        return request;
    }

    private async Task<dynamic> WaitForStatusAsync(string id, string status)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            dynamic job = await _client.GetJobAsync(id);
            if (job.Status.ToString() == status)
            {
                return job;
            }
            Assert.True(clock.Elapsed < JobsApi.DefaultWait, $"job {id} is {job.Status} after {clock.Elapsed.TotalSeconds:0} s, not {status}");
            await Task.Delay(_pollEvery);
        }
    }

    /// <summary>Reads a <c>FileResponse</c>'s stream to its end and disposes it.</summary>
    private static async Task<byte[]> ReadAllAsync(dynamic file)
    {
        using IDisposable owned = file;
        using var copy = new MemoryStream();
        await ((Stream)file.Stream).CopyToAsync(copy);
        Assert.Equal(200, (int)file.StatusCode);
        return copy.ToArray();
    }
}
