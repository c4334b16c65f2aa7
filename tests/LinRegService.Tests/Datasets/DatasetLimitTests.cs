using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Datasets;

/// <summary>A host with keys and small dataset limits: 4 KiB of body, 50 rows, 4 columns, 400 stored bytes a dataset.</summary>
public sealed class DatasetLimitsFixture : ServiceFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = KeysApi.Settings(new Dictionary<string, string?>
    {
        ["Datasets:MaxBytes"] = "4096",
        ["Datasets:MaxRows"] = "50",
        ["Datasets:MaxColumns"] = "4",
        ["Quotas:MaxDatasetBytes"] = "400",
    });
}

/// <summary>Each limit of an upload is a 413 that names it, and leaves nothing; datasets belong to their uploader's key.</summary>
public sealed class DatasetLimitTests(DatasetLimitsFixture service) : IClassFixture<DatasetLimitsFixture>
{
    private readonly HttpClient _admin = service.Factory.CreateClient(KeysApi.AdminSecret);

    [Fact]
    public async Task A_body_declared_over_Datasets_MaxBytes_is_a_413_naming_it()
    {
        // Refused by its Content-Length before a byte is read (the guard's words), not by the capped read.
        await AssertOverAsync(() => _admin.UploadAsync("a,b\n" + new string('1', 5000) + ",2\n"), "Datasets:MaxBytes", 4096, "The body has 5007 bytes");
    }

    [Fact]
    public async Task A_streamed_body_over_Datasets_MaxBytes_is_a_413_naming_it()
    {
        using var content = new Chunked(Encoding.ASCII.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 2000))));

        await AssertOverAsync(() => _admin.UploadAsync(content), "Datasets:MaxBytes", 4096, "The upload is larger than 4096 bytes");
    }

    [Fact]
    public async Task More_rows_than_Datasets_MaxRows_is_a_413_naming_it() =>
        await AssertOverAsync(() => _admin.UploadAsync(DatasetsApi.Generate(51, features: 1)), "Datasets:MaxRows", 50);

    [Fact]
    public async Task More_columns_than_Datasets_MaxColumns_is_a_413_naming_it() =>
        await AssertOverAsync(() => _admin.UploadAsync(DatasetsApi.Generate(2, features: 4)), "Datasets:MaxColumns", 4);

    [Fact]
    public async Task More_stored_bytes_than_the_key_s_maxDatasetBytes_is_a_413_naming_the_quota() =>
        await AssertOverAsync(() => _admin.UploadAsync(DatasetsApi.Generate(34, features: 2)), "maxDatasetBytes", 400); // 34 × 3 × 4 = 408

    [Fact]
    public async Task A_key_s_own_maxDatasetBytes_replaces_the_default_either_way()
    {
        CreatedApiKey small = await _admin.CreateKeyAsync("small datasets", quotas: new ApiKeyQuotaOverrides { MaxDatasetBytes = 100 });
        CreatedApiKey large = await _admin.CreateKeyAsync("large datasets", quotas: new ApiKeyQuotaOverrides { MaxDatasetBytes = 1000 });
        Assert.Equal(100, small.Quotas.MaxDatasetBytes);
        using HttpClient smallClient = service.Factory.CreateClient(small.Key);
        using HttpClient largeClient = service.Factory.CreateClient(large.Key);

        await AssertOverAsync(() => smallClient.UploadAsync(DatasetsApi.Generate(9, features: 2)), "maxDatasetBytes", 100); // 108 bytes
        using HttpResponseMessage fits = await largeClient.UploadAsync(DatasetsApi.Generate(34, features: 2)); // 408 bytes: over the default of 400
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        using HttpResponseMessage deleted = await largeClient.DeleteAsync(fits.Headers.Location);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Another_key_s_dataset_is_not_found_exactly_as_a_missing_one_and_admins_see_it()
    {
        using HttpClient owner = service.Factory.CreateClient((await _admin.CreateKeyAsync("owner")).Key);
        using HttpClient other = service.Factory.CreateClient((await _admin.CreateKeyAsync("other")).Key);
        const string csv = "a,b\n1,2\n3,4\n";
        StoredDataset mine = await owner.UploadDatasetAsync(csv);
        StoredDataset theirs = await other.UploadDatasetAsync(csv); // the same data of another key: its own dataset

        Assert.NotEqual(mine.Id, theirs.Id);
        foreach (string suffix in new[] { "", "/rows" })
        {
            using HttpResponseMessage hidden = await other.GetAsync(new Uri($"/api/datasets/{mine.Id}{suffix}", UriKind.Relative));
            using HttpResponseMessage missing = await other.GetAsync(new Uri($"/api/datasets/0123456789abcdef0123456789abcdef{suffix}", UriKind.Relative));
            JsonObject hiddenProblem = await Problem.AssertAsync(hidden, HttpStatusCode.NotFound);
            JsonObject missingProblem = await Problem.AssertAsync(missing, HttpStatusCode.NotFound);
            Assert.Equal(((string)missingProblem["detail"]!).Replace("0123456789abcdef0123456789abcdef", mine.Id, StringComparison.Ordinal), (string?)hiddenProblem["detail"]);
        }
        await Problem.AssertAsync(await other.DeleteAsync(new Uri($"/api/datasets/{mine.Id}", UriKind.Relative)), HttpStatusCode.NotFound);
        DatasetList otherList = ApiJson.Read<DatasetList>(await other.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative)));
        DatasetList adminList = ApiJson.Read<DatasetList>(await _admin.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative)));
        Assert.Equal([theirs.Id], otherList.Items.Select(d => d.Id));
        Assert.Contains(adminList.Items, d => d.Id == mine.Id);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync(new Uri($"/api/datasets/{mine.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(new Uri($"/api/datasets/{mine.Id}", UriKind.Relative))).StatusCode);
    }

    /// <summary>The upload is a 413 naming <paramref name="limit"/> (and saying <paramref name="says"/>), and adds no dataset and leaves no chunk.</summary>
    private async Task AssertOverAsync(Func<Task<HttpResponseMessage>> upload, string limit, long max, string? says = null)
    {
        List<string> before = await DatasetIdsAsync();
        using (HttpResponseMessage response = await upload())
        {
            JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.True(limit == (string?)problem["limit"], problem.ToJsonString());
            Assert.Equal(max, (long?)problem["max"]);
            Assert.Contains(limit, (string?)problem["detail"], StringComparison.Ordinal);
            if (says is not null)
            {
                Assert.Contains(says, (string?)problem["detail"], StringComparison.Ordinal);
            }
        }
        Assert.Equal(before, await DatasetIdsAsync());
        Assert.Equal(0, await DatasetsApi.OrphanChunksAsync(service.Factory.Services));
    }

    private async Task<List<string>> DatasetIdsAsync() =>
        [.. ApiJson.Read<DatasetList>(await _admin.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative))).Items.Select(d => d.Id).Order(StringComparer.Ordinal)];

    /// <summary>A text/csv body sent without a Content-Length.</summary>
    private sealed class Chunked : HttpContent
    {
        private readonly byte[] _data;

        public Chunked(byte[] data)
        {
            _data = data;
            Headers.ContentType = new("text/csv");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
