using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Datasets;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Contract;

/// <summary>One worker and room for one queued job, so jobs can be held queued and the queue filled; small bodies for a 413.</summary>
public sealed class ResponseSchemaFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Workers"] = "1",
        ["Jobs:MaxQueued"] = "1",
        ["Jobs:MaxRequestBytes"] = "8192",
        ["Datasets:MaxBytes"] = "16384", // a CSV's 413 too, and CSVs larger than a JSON body below it
        ["Auth:AdminKey"] = AdminKey, // a key of the setting, which cannot be revoked through the API (409)
    };

    public const string AdminKey = "schema-test-admin-key-0123456789";
}

/// <summary>
/// Every endpoint's answers, in every status and job state the service can show, held against
/// the live document: declared status, declared content type, body valid against its schema
/// (JsonSchema.Net on the schemas converted to 2020-12), declared headers sent. Then every status
/// the document declares must have been seen.
/// </summary>
public sealed class ResponseSchemaTests(ResponseSchemaFixture service) : IClassFixture<ResponseSchemaFixture>
{
    private const string Jobs = "/api/jobs";
    private const string Job = "/api/jobs/{id}";
    private const string Sweeps = "/api/sweeps";
    private const string OneSweep = "/api/sweeps/{id}";
    private const string Datasets = "/api/datasets";
    private const string OneDataset = "/api/datasets/{id}";
    private const string BookRun = """{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""";

    private static readonly string[] _plots = ["loss.svg", "loss.png", "data.svg", "data.png"];

    private readonly HttpClient _client = service.CreateClient();
    private ResponseContract _contract = null!;

    [Fact]
    public async Task Every_answer_matches_the_document_and_every_declared_status_is_seen()
    {
        using HttpResponseMessage documentResponse = await _client.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        _contract = new ResponseContract(ApiJson.Parse(await documentResponse.Content.ReadAsStringAsync()));

        await SendAsync(HttpMethod.Get, "/health/live", "/health/live");
        await SendAsync(HttpMethod.Get, "/health/ready", "/health/ready");
        string succeeded = await SubmissionsAsync();
        string failed = IdOf(await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("""{ "training": { "learningRate": 3 } }""")));
        await WaitForAsync(succeeded, "succeeded");
        await WaitForAsync(failed, "failed");
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json($$"""{ "training": { "warmStartFrom": "{{failed}}" } }"""), expect: 409); // 409 with errors
        await ReadsAsync(succeeded);
        await StoredDatasetAsync();
        await PredictionsAsync(succeeded, failed);
        await ListsAsync();
        await SweepsAsync();
        string dataset = await DatasetsAsync();
        await QueueAndCancelAsync(dataset);
        await KeysAsync();
        await RefusedWithoutAUsableKeyAsync();

        IEnumerable<string> unexercised = _contract.Unexercised(("Ready", "503")) // needs the store or the workers down
                                                                                  // A rate limit's 429: this host has none (ServiceFactory), RateLimitTests holds that answer against the document.
                                                                                  // SubmitJob's 429 is also a quota's and is seen here (KeysAsync).
            .Where(s => !s.EndsWith(" 429", StringComparison.Ordinal) || s.StartsWith("SubmitJob ", StringComparison.Ordinal));
        Assert.True(_contract.Differences.Count == 0, string.Join("\n", _contract.Differences));
        Assert.True(!unexercised.Any(), "declared but never seen: " + string.Join(", ", unexercised));
    }

    /// <summary>202, and each way a submission is refused short of a full queue.</summary>
    private async Task<string> SubmissionsAsync()
    {
        string id = IdOf(await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun), key: "book"));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun), key: "book", expect: 202); // the same job again
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("""{ "sampleCount": 3 }"""), key: "book", expect: 409); // 409
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("""{ "dataset": { "examples": 0 }, "training": { "batchSize": 0 } }"""));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("""{ "dataset": { "bias": "high" } }"""));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("{ not json"));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun), key: new string('k', 201));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json($$"""{ "padding": "{{new string(' ', 9000)}}" }"""), expect: 413); // 413
        await SendAsync(HttpMethod.Post, Jobs, Jobs, new StringContent(BookRun, Encoding.UTF8, "text/plain"), expect: 415); // 415
        return id;
    }

    /// <summary>A finished job read every way: the job, its rows, its plots (and their 304s) and its event stream.</summary>
    private async Task ReadsAsync(string id)
    {
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}", Job);
        await SendAsync(HttpMethod.Get, $"{Jobs}/nosuchjob", Job);
        const string samples = "/api/jobs/{id}/samples";
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/samples?offset=990&count=20", samples);
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/samples?offset=1000&count=0", samples);
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/samples?offset=abc", samples);
        await SendAsync(HttpMethod.Get, $"{Jobs}/nosuchjob/samples", samples);
        foreach (string plot in _plots)
        {
            string template = $"/api/jobs/{{id}}/plots/{plot}";
            using HttpResponseMessage drawn = await SendRawAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}", template);
            await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}", template, etag: drawn.Headers.ETag);
            await SendAsync(HttpMethod.Get, $"{Jobs}/nosuchjob/plots/{plot}", template);
            await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}?width=360&height=240", template);
            await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}?width=10", template);
            if (plot.StartsWith("data", StringComparison.Ordinal))
            {
                await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}?feature=2", template);
                await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}?feature=x", template);
            }
        }
        const string events = "/api/jobs/{id}/events";
        byte[] stream = await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/events", events);
        await foreach (SseItem<string> item in SseParser.Create(new MemoryStream(stream)).EnumerateAsync())
        {
            if (item.EventType == "status")
            {
                _contract.CheckComponent($"GET {events} event status", "Job", item.Data); // the document says its data is the job
            }
        }
        await SendAsync(HttpMethod.Get, $"{Jobs}/nosuchjob/events", events);
    }

    /// <summary>
    /// A job on a stored dataset (its result without a truth: weightError and biasError null), its
    /// rows and data plot; then the dataset deleted: the rows and the data plot are a 409.
    /// </summary>
    private async Task StoredDatasetAsync()
    {
        DatasetRecord dataset = await service.Factory.StoreAsync(["current"], "voltage", [[0.01f], [0.02f], [0.03f], [0.04f]], [0.47f, 0.94f, 1.41f, 1.88f]);
        string id = IdOf(await SendAsync(HttpMethod.Post, Jobs, Jobs, Json($$"""{ "dataset": { "id": "{{dataset.Id}}" }, "training": { "standardize": true, "batchSize": 2 } }""")));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json($$"""{ "dataset": { "id": "{{dataset.Id}}", "seed": 1 } }"""), expect: 400); // 400
        await WaitForAsync(id, "succeeded");
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}", Job);
        const string samples = "/api/jobs/{id}/samples";
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/samples?offset=1&count=2", samples);
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/data.svg", "/api/jobs/{id}/plots/data.svg");
        Assert.Equal(DatasetDeleteOutcome.Deleted, await service.Factory.Services.GetRequiredService<IDatasetStore>().DeleteAsync(dataset.Id, CancellationToken.None));
        await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/samples", samples, expect: 409); // 409
        foreach (string plot in new[] { "data.svg", "data.png" })
        {
            await SendAsync(HttpMethod.Get, $"{Jobs}/{id}/plots/{plot}", $"/api/jobs/{{id}}/plots/{plot}", expect: 409); // 409
        }
    }

    /// <summary>Predictions, and each way a prediction is refused.</summary>
    private async Task PredictionsAsync(string succeeded, string failed)
    {
        const string predict = "/api/jobs/{id}/predict";
        await SendAsync(HttpMethod.Post, $"{Jobs}/{succeeded}/predict", predict, Json("""{ "features": [[1, 1], [0, 0]] }"""));
        await SendAsync(HttpMethod.Post, $"{Jobs}/{succeeded}/predict", predict, Json("""{ "features": [[1]] }"""), expect: 400); // 400
        await SendAsync(HttpMethod.Post, $"{Jobs}/{failed}/predict", predict, Json("""{ "features": [[1, 1]] }"""), expect: 409); // 409
        await SendAsync(HttpMethod.Post, $"{Jobs}/nosuchjob/predict", predict, Json("""{ "features": [[1, 1]] }"""));
        await SendAsync(HttpMethod.Post, $"{Jobs}/{succeeded}/predict", predict, Json($$"""{ "features": [[1, 1]], "padding": "{{new string(' ', 9000)}}" }"""), expect: 413); // 413
        await SendAsync(HttpMethod.Post, $"{Jobs}/{succeeded}/predict", predict, new StringContent("{}", Encoding.UTF8, "text/plain"), expect: 415); // 415
    }

    private async Task ListsAsync()
    {
        JsonObject page = ApiJson.Parse(Encoding.UTF8.GetString(await SendAsync(HttpMethod.Get, $"{Jobs}?limit=1", Jobs)));
        await SendAsync(HttpMethod.Get, $"{Jobs}?status=succeeded&limit=1&cursor={(string)page["next"]!}", Jobs);
        await SendAsync(HttpMethod.Get, $"{Jobs}?status=failed", Jobs);
        await SendAsync(HttpMethod.Get, $"{Jobs}?limit=0", Jobs);
        await SendAsync(HttpMethod.Get, $"{Jobs}?limit=many", Jobs);
        await SendAsync(HttpMethod.Get, $"{Jobs}?status=finished", Jobs);
        await SendAsync(HttpMethod.Get, $"{Jobs}?cursor=nonsense", Jobs);
    }

    /// <summary>Sweeps: submitted and refused, read, listed, drawn, streamed, canceled while running, deleted.</summary>
    private async Task SweepsAsync()
    {
        string done = IdOf(await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json("""{ "grid": { "training.learningRate": [0.03] } }"""), key: "sweep"));
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json("""{ "grid": { "training.learningRate": [0.03] } }"""), key: "sweep", expect: 202); // the same sweep
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json("""{ "grid": { "training.learningRate": [0.1] } }"""), key: "sweep", expect: 409); // 409
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json("""{ "grid": { "training.nothing": [1] } }"""), expect: 400); // 400
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json($$"""{ "grid": {}, "padding": "{{new string(' ', 9000)}}" }"""), expect: 413); // 413
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, new StringContent("{}", Encoding.UTF8, "text/plain"), expect: 415); // 415
        await WaitForSweepAsync(done, "finished");
        await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}", OneSweep);
        await SendAsync(HttpMethod.Get, $"{Sweeps}/nosuchsweep", OneSweep);
        JsonObject page = ApiJson.Parse(Encoding.UTF8.GetString(await SendAsync(HttpMethod.Get, $"{Sweeps}?limit=1", Sweeps)));
        await SendAsync(HttpMethod.Get, $"{Sweeps}?limit=1&cursor={(string?)page["next"]}", Sweeps);
        await SendAsync(HttpMethod.Get, $"{Sweeps}?limit=0", Sweeps);
        await SendAsync(HttpMethod.Get, $"{Sweeps}?cursor=nonsense", Sweeps);
        foreach (string plot in new[] { "losses.svg", "losses.png", "final.svg", "final.png" })
        {
            string template = $"/api/sweeps/{{id}}/plots/{plot}";
            using HttpResponseMessage drawn = await SendRawAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}", template);
            await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}", template, etag: drawn.Headers.ETag);
            await SendAsync(HttpMethod.Get, $"{Sweeps}/nosuchsweep/plots/{plot}", template);
            await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}?width=10", template);
            if (plot.StartsWith("final", StringComparison.Ordinal))
            {
                await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}?x=training.learningRate", template);
                await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}?x=nothing", template);
                await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}?x=training.learningRate&y=weightError", template);
                await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/plots/{plot}?y=nothing", template);
            }
        }
        const string events = "/api/sweeps/{id}/events";
        byte[] stream = await SendAsync(HttpMethod.Get, $"{Sweeps}/{done}/events", events);
        await foreach (SseItem<string> item in SseParser.Create(new MemoryStream(stream)).EnumerateAsync())
        {
            if (item.EventType == "sweep")
            {
                _contract.CheckComponent($"GET {events} event sweep", "Sweep", item.Data);
            }
        }
        await SendAsync(HttpMethod.Get, $"{Sweeps}/nosuchsweep/events", events);

        const string cancel = "/api/sweeps/{id}/cancel";
        string running = IdOf(await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json($$"""{ "base": {{Requests.LongJob()}}, "grid": { "training.seed": [1] } }""")));
        await WaitForSweepAsync(running, "running");
        await SendAsync(HttpMethod.Delete, $"{Sweeps}/{running}", OneSweep, expect: 409); // 409: not ended
        await SendAsync(HttpMethod.Post, $"{Sweeps}/{running}/cancel", cancel);
        await WaitForSweepAsync(running, "canceled");
        await SendAsync(HttpMethod.Post, $"{Sweeps}/{running}/cancel", cancel, expect: 409); // 409: ended
        await SendAsync(HttpMethod.Post, $"{Sweeps}/nosuchsweep/cancel", cancel);
        await SendAsync(HttpMethod.Delete, $"{Sweeps}/{running}", OneSweep);
        await SendAsync(HttpMethod.Delete, $"{Sweeps}/{running}", OneSweep, expect: 404); // 404: gone
    }

    /// <summary>Datasets: uploaded (new, again, as a form), refused (bad CSV, too large, another type), read, listed, paged, deleted.</summary>
    private async Task<string> DatasetsAsync()
    {
        const string rows = "/api/datasets/{id}/rows";
        string kept = IdOf(await SendAsync(HttpMethod.Post, $"{Datasets}?name=schema", Datasets, Csv("a,b,y\n1,2,3\n4,5,6\n")));
        await SendAsync(HttpMethod.Post, Datasets, Datasets, Csv("a,b,y\n1,2,3\n4,5,6\n"), expect: 200); // 200: the same data
        using var form = new MultipartFormDataContent { { new StringContent("u,v\n1,2\n"), "file", "data.csv" } };
        string gone = IdOf(await SendAsync(HttpMethod.Post, Datasets, Datasets, form));
        await SendAsync(HttpMethod.Post, Datasets, Datasets, Csv("a,b\n1,abc\n"), expect: 400); // 400
        await SendAsync(HttpMethod.Post, Datasets, Datasets, Csv("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 5000))), expect: 413); // 413: over Datasets:MaxBytes
        await SendAsync(HttpMethod.Post, Datasets, Datasets, Csv("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 3000))), expect: 201); // over Jobs:MaxRequestBytes, under Datasets:MaxBytes
        await SendAsync(HttpMethod.Post, Datasets, Datasets, new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/plain"), expect: 415); // 415
        await SendAsync(HttpMethod.Get, $"{Datasets}/{kept}", OneDataset);
        await SendAsync(HttpMethod.Get, $"{Datasets}/nosuchdataset", OneDataset);
        JsonObject page = ApiJson.Parse(Encoding.UTF8.GetString(await SendAsync(HttpMethod.Get, $"{Datasets}?limit=1", Datasets)));
        await SendAsync(HttpMethod.Get, $"{Datasets}?limit=1&cursor={(string?)page["next"]}", Datasets);
        await SendAsync(HttpMethod.Get, $"{Datasets}?limit=0", Datasets);
        await SendAsync(HttpMethod.Get, $"{Datasets}/{kept}/rows?offset=1&count=5", rows);
        await SendAsync(HttpMethod.Get, $"{Datasets}/{kept}/rows?count=0", rows);
        await SendAsync(HttpMethod.Get, $"{Datasets}/nosuchdataset/rows", rows);
        await SendAsync(HttpMethod.Delete, $"{Datasets}/{gone}", OneDataset);
        await SendAsync(HttpMethod.Delete, $"{Datasets}/{gone}", OneDataset, expect: 404); // 404: gone
        return kept;
    }

    private async Task WaitForSweepAsync(string id, string status)
    {
        var clock = Stopwatch.StartNew();
        while (ApiJson.Parse(await _client.GetStringAsync(new Uri($"{Sweeps}/{id}", UriKind.Relative))) is var sweep && (string?)sweep["status"] != status)
        {
            Assert.True(clock.Elapsed < JobsApi.DefaultWait, $"sweep {id} did not become {status}: {sweep.ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>A running job holds the only worker: queued, a full queue, canceling, canceled, and the conflicts around them.</summary>
    private async Task QueueAndCancelAsync(string dataset)
    {
        string running = IdOf(await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(Requests.LongJob())));
        await WaitForAsync(running, "running");
        // A job queued on the dataset behind the running one (put in the store: the job side of datasets is built elsewhere): 409.
        LinRegService.Storage.JobRecord onDataset = await LinRegService.Tests.Datasets.DatasetJobs.QueueJobOnAsync(service.Factory.Services, dataset);
        await SendAsync(HttpMethod.Delete, $"{Datasets}/{dataset}", OneDataset);
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<LinRegService.Storage.IJobStore>(service.Factory.Services)
            .CancelAsync(onDataset.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        string queued = IdOf(await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun)));
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun), expect: 503); // 503: the queue is full
        await SendAsync(HttpMethod.Post, Sweeps, Sweeps, Json("""{ "grid": { "training.seed": [1] } }"""), expect: 503); // 503 too
        await SendAsync(HttpMethod.Get, "/health/ready", "/health/ready"); // still 200, Degraded
        await SendAsync(HttpMethod.Get, $"{Jobs}/{running}", Job);
        await SendAsync(HttpMethod.Get, $"{Jobs}/{queued}", Job);
        await SendAsync(HttpMethod.Get, $"{Jobs}?status=queued", Jobs);
        await SendAsync(HttpMethod.Delete, $"{Jobs}/{running}", Job, expect: 409); // 409: not finished

        const string cancel = "/api/jobs/{id}/cancel";
        await SendAsync(HttpMethod.Post, $"{Jobs}/{queued}/cancel", cancel); // canceled at once
        await SendAsync(HttpMethod.Post, $"{Jobs}/{running}/cancel", cancel); // canceling
        await SendAsync(HttpMethod.Get, $"{Jobs}/{running}", Job);
        await WaitForAsync(running, "canceled");
        await SendAsync(HttpMethod.Get, $"{Jobs}/{running}", Job);
        await SendAsync(HttpMethod.Post, $"{Jobs}/{running}/cancel", cancel, expect: 409); // 409: finished
        await SendAsync(HttpMethod.Post, $"{Jobs}/nosuchjob/cancel", cancel);
        await SendAsync(HttpMethod.Delete, $"{Jobs}/{running}", Job);
        await SendAsync(HttpMethod.Delete, $"{Jobs}/{running}", Job, expect: 404); // 404: gone
    }

    /// <summary>The keys' endpoints (the host runs without keys, so a call without one is the local admin), and a user key's 403s.</summary>
    private async Task KeysAsync()
    {
        const string keys = "/api/keys";
        const string key = "/api/keys/{id}";
        JsonObject created = ApiJson.Parse(Encoding.UTF8.GetString(
            await SendAsync(HttpMethod.Post, keys, keys, Json("""{ "name": "schema user", "role": "user", "quotas": { "maxActiveJobs": 0, "maxJobValues": 100 } }"""))));
        string id = (string)created["id"]!;
        string secret = (string)created["key"]!;
        await SendAsync(HttpMethod.Post, keys, keys, Json("""{ "name": "", "role": "user" }"""), expect: 400); // 400
        await SendAsync(HttpMethod.Post, keys, keys, Json($$"""{ "name": "x", "role": "user", "padding": "{{new string(' ', 9000)}}" }"""), expect: 413); // 413
        await SendAsync(HttpMethod.Post, keys, keys, new StringContent("""{ "name": "x", "role": "user" }""", Encoding.UTF8, "text/plain"), expect: 415); // 415
        JsonObject list = ApiJson.Parse(Encoding.UTF8.GetString(await SendAsync(HttpMethod.Get, keys, keys)));
        string configured = (string)list["items"]!.AsArray().Single(k => (string?)k!["origin"] == "config")!["id"]!;
        await SendAsync(HttpMethod.Get, $"{keys}/{id}", key);
        await SendAsync(HttpMethod.Get, $"{keys}/nosuchkey", key);
        await SendAsync(HttpMethod.Get, $"{keys}/me", $"{keys}/me");
        await SendAsync(HttpMethod.Get, $"{keys}/me", $"{keys}/me", bearer: secret);
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json("""{ "dataset": { "examples": 10 } }"""), bearer: secret, expect: 429); // 429: no active job allowed
        await SendAsync(HttpMethod.Post, Jobs, Jobs, Json(BookRun), bearer: secret, expect: 413); // 413: 1000 × 2 values, over 100
        await SendAsync(HttpMethod.Get, keys, keys, bearer: secret, expect: 403); // 403: a user key
        await SendAsync(HttpMethod.Post, keys, keys, Json("""{ "name": "x", "role": "admin" }"""), bearer: secret);
        await SendAsync(HttpMethod.Get, $"{keys}/{id}", key, bearer: secret);
        await SendAsync(HttpMethod.Delete, $"{keys}/{id}", key, bearer: secret);
        await SendAsync(HttpMethod.Delete, $"{keys}/{configured}", key, expect: 409); // 409: Auth:AdminKey's
        await SendAsync(HttpMethod.Delete, $"{keys}/{id}", key);
        await SendAsync(HttpMethod.Delete, $"{keys}/nosuchkey", key);
    }

    /// <summary>Every operation that needs a key answers 401 to one that is not known.</summary>
    private async Task RefusedWithoutAUsableKeyAsync()
    {
        foreach ((string template, HttpMethod method) in _contract.Operations().Where(o => !o.Path.StartsWith("/health", StringComparison.Ordinal)))
        {
            await SendAsync(method, template.Replace("{id}", "x", StringComparison.Ordinal), template, bearer: "lrs_not-a-key-of-this-service");
        }
    }

    /// <summary>Sends the request and checks the answer against the document (and against <paramref name="expect"/>, the status the call is made to get, where given).</summary>
    private async Task<byte[]> SendAsync(HttpMethod method, string url, string template, HttpContent? content = null,
        string? key = null, EntityTagHeaderValue? etag = null, string? bearer = null, int? expect = null)
    {
        using HttpResponseMessage response = await SendRawAsync(method, url, template, content, key, etag, bearer);
        Assert.True(expect is null || (int)response.StatusCode == expect,
            $"{method} {url}: {(int)response.StatusCode} where the call is made to get {expect}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Sends the request and checks the answer; the caller disposes it.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, string template, HttpContent? content = null,
        string? key = null, EntityTagHeaderValue? etag = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }
        HttpResponseMessage response = await _client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        await _contract.CheckAsync(response, method, template);
        return response;
    }

    private async Task WaitForAsync(string id, string status)
    {
        var clock = Stopwatch.StartNew();
        while (await _client.GetJobJsonAsync(id) is var job && (string?)job["status"] != status)
        {
            Assert.True(clock.Elapsed < JobsApi.DefaultWait, $"job {id} did not become {status}: {job.ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static string IdOf(byte[] body) =>
        (string?)ApiJson.Parse(Encoding.UTF8.GetString(body))["id"] ?? throw new InvalidOperationException(Encoding.UTF8.GetString(body));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");
}
