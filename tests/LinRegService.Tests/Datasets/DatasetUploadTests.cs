using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Storage;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Datasets;

/// <summary>
/// Uploads on a host without keys and with the default limits; JSON bodies are held to 8 KiB, CSV
/// ones are not. No workers, so a job queued on a dataset stays queued.
/// </summary>
public class DatasetsFixture : ServiceFixture
{
    protected override void ConfigureTestServices(IServiceCollection services) => Workers.Remove(services);

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:MaxRequestBytes"] = "8192",
    };

    /// <summary>Chunks in the store that no dataset owns: a failed or running upload's.</summary>
    public Task<long> ChunkCountAsync() => DatasetsApi.OrphanChunksAsync(Factory.Services);
}

/// <summary>
/// <c>POST /api/datasets</c> and the reads: a CSV becomes float32 rows (features in the file's
/// order, the label last), as text/csv or as a form's one file; the same data twice is one
/// dataset; every bad CSV is a 400 that says where, and leaves nothing stored.
/// </summary>
public sealed class DatasetUploadTests(DatasetsFixture service) : IClassFixture<DatasetsFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_csv_becomes_a_dataset_with_its_columns_rows_hash_and_first_rows()
    {
        using HttpResponseMessage response = await _client.UploadAsync("a,b,y\n1,2,3\n4.5,-5e-1,6\n", "?name=first%20try");
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        StoredDataset dataset = ApiJson.Read<StoredDataset>(body);
        Assert.Equal($"/api/datasets/{dataset.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("first try", dataset.Name);
        Assert.Equal(2, dataset.Rows);
        Assert.Equal(["a", "b"], dataset.FeatureNames);
        Assert.Equal("y", dataset.LabelName);
        Assert.Equal(2 * 3 * 4, dataset.Bytes);
        Assert.Matches("^[0-9a-f]{64}$", dataset.ContentHash);
        Assert.Equal([[1f, 2f], [4.5f, -0.5f]], dataset.FirstRows!.Features.Select(r => r.ToArray()));
        Assert.Equal([3f, 6f], dataset.FirstRows.Labels);
        StoredDataset read = ApiJson.Read<StoredDataset>(await _client.GetStringAsync(new Uri($"/api/datasets/{dataset.Id}", UriKind.Relative)));
        Assert.Equal(dataset.ContentHash, read.ContentHash);
        Assert.Equal(dataset.FirstRows.Labels, read.FirstRows!.Labels);
    }

    [Fact]
    public async Task The_label_is_the_column_named_by_label_and_the_features_keep_their_order()
    {
        StoredDataset dataset = await _client.UploadDatasetAsync("p, current ,q\n1,2,3\n4,5,6\n", "?label=current");

        Assert.Equal(["p", "q"], dataset.FeatureNames);
        Assert.Equal("current", dataset.LabelName);
        Assert.Equal([[1f, 3f], [4f, 6f]], dataset.FirstRows!.Features.Select(r => r.ToArray()));
        Assert.Equal([2f, 5f], dataset.FirstRows.Labels);
        Assert.Null(dataset.Name);
    }

    [Fact]
    public async Task A_form_with_one_file_uploads_as_the_csv_does_and_the_same_data_again_is_the_same_dataset()
    {
        const string csv = "u,v\n7,8\n9,10\n";
        using var form = new MultipartFormDataContent { { new StringContent("a note"), "comment" } };
        var file = new StringContent(csv, Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "data.csv");
        using HttpResponseMessage response = await _client.UploadAsync(form);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        StoredDataset first = ApiJson.Read<StoredDataset>(body);

        StoredDataset again = await _client.UploadDatasetAsync(csv, status: HttpStatusCode.OK);
        StoredDataset reformatted = await _client.UploadDatasetAsync("u,v\r\n7.0,8\r\n9,1e1\r\n", status: HttpStatusCode.OK);

        Assert.Equal(["u"], first.FeatureNames);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, reformatted.Id);
        Assert.Equal(first.ContentHash, again.ContentHash);
        DatasetList list = ApiJson.Read<DatasetList>(await _client.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative)));
        Assert.Single(list.Items, d => d.ContentHash == first.ContentHash);
        // Other names over the same numbers are other data.
        StoredDataset renamed = await _client.UploadDatasetAsync("u,w\n7,8\n9,10\n");
        Assert.NotEqual(first.ContentHash, renamed.ContentHash);
    }

    public static TheoryData<string, string, string, string> BadCsvs() => new()
    {
        { "a,current,y\n" + string.Concat(Enumerable.Repeat("1,2,3\n", 16)) + "1,abc,3\n", "", "body", "Row 17, column \"current\": \"abc\" is not a number." },
        { "a,b\n1,2\n1,2,3\n", "", "body", "Row 2 has 3 columns; the header has 2." },
        { "a,b\n1,2\n1\n", "", "body", "Row 2 has 1 column; the header has 2." },
        { "", "", "body", "The CSV is empty: send a header row with the column names, then one row of numbers per example." },
        { "a,b\n", "", "body", "The CSV has a header but no rows: send one row of numbers per example under it." },
        { "a,b\n1,2\n", "?label=c", "label", "The header has no column \"c\" to be the label; its columns are \"a\", \"b\"." },
        { "y\n1\n", "", "body", "The header has only the column \"y\": a dataset needs at least one feature column besides the label column." },
        { "a,b\n1,NaN\n", "", "body", "Row 1, column \"b\": \"NaN\" is not a finite number." },
        { "a,b\n-Infinity,1\n", "", "body", "Row 1, column \"a\": \"-Infinity\" is not a finite number." },
        { "a,b\n1,2\n1e39,2\n", "", "body", "Row 2, column \"a\": \"1e39\" is too large for a float32 (at most ±3.4e38)." },
        { "a,b,a\n1,2,3\n", "", "body", "The header names column \"a\" twice (columns 1 and 3): column names must differ." },
        { "a,,y\n1,2,3\n", "", "body", "Column 2 of the header has no name: the first row must name every column." },
        { "a,b\n1,2,5\n", "", "body", "Row 1 has 3 columns; the header has 2." },
        { "a,b\n1,\"2,5\"\n", "", "body", "Row 1, column \"b\": \"2,5\" is not a number." },
    };

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public async Task A_bad_csv_is_a_400_that_says_where_and_nothing_is_stored(string csv, string query, string field, string message)
    {
        int before = await CountAsync();
        using HttpResponseMessage response = await _client.UploadAsync(csv, query);

        Assert.Equal(message, await DatasetsApi.BadFieldMessageAsync(response, field));
        Assert.Equal(before, await CountAsync());
        Assert.Equal(0, await service.ChunkCountAsync());
    }

    [Fact]
    public async Task A_bad_row_after_chunks_were_written_leaves_none_of_them()
    {
        string csv = DatasetsApi.Generate(100_000, features: 1) + "1,oops\n";
        using HttpResponseMessage response = await _client.UploadAsync(csv);

        Assert.Equal("Row 100001, column \"y\": \"oops\" is not a number.", await DatasetsApi.BadFieldMessageAsync(response, "body"));
        Assert.Equal(0, await service.ChunkCountAsync());
    }

    [Fact]
    public async Task A_csv_larger_than_Jobs_MaxRequestBytes_is_accepted_and_read_back_across_chunks()
    {
        string csv = DatasetsApi.Generate(40_000, features: 1, seed: 3); // ~0.5 MB, 2 chunks of 32768 rows
        StoredDataset dataset = await _client.UploadDatasetAsync(csv);

        Assert.Equal(40_000, dataset.Rows);
        SamplesPage page = ApiJson.Read<SamplesPage>(await _client.GetStringAsync(new Uri($"/api/datasets/{dataset.Id}/rows?offset=32766&count=4", UriKind.Relative)));
        Assert.Equal(32766, page.Offset);
        Assert.Equal([32769f, 32770f, 32771f, 32772f], page.Features.Select(r => r[0]));
        Assert.Equal([32769.25f, 32770.25f, 32771.25f, 32772.25f], page.Labels);
    }

    [Fact]
    public async Task Another_content_type_is_a_415()
    {
        using HttpResponseMessage response = await _client.PostAsync(new Uri("/api/datasets", UriKind.Relative), new StringContent("a,b\n1,2\n", Encoding.UTF8, "application/json"));
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Rows_page_through_the_dataset_and_their_bounds_are_400s()
    {
        StoredDataset dataset = await _client.UploadDatasetAsync(DatasetsApi.Generate(25, seed: 100));
        string rows = $"/api/datasets/{dataset.Id}/rows";

        SamplesPage last = ApiJson.Read<SamplesPage>(await _client.GetStringAsync(new Uri($"{rows}?offset=20&count=10", UriKind.Relative)));
        SamplesPage first = ApiJson.Read<SamplesPage>(await _client.GetStringAsync(new Uri(rows, UriKind.Relative)));

        Assert.Equal(20, last.Offset);
        Assert.Equal([120f, 121f, 122f, 123f, 124f], last.Features.Select(r => r[0]));
        Assert.Equal([120.5f, 121.5f, 122.5f, 123.5f, 124.5f], last.Labels);
        Assert.Equal(10, first.Labels.Count);
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri($"{rows}?offset=25", UriKind.Relative)), "offset");
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri($"{rows}?offset=-1", UriKind.Relative)), "offset");
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri($"{rows}?count=0", UriKind.Relative)), "count");
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri($"{rows}?count=1001", UriKind.Relative)), "count");
        await Problem.AssertAsync(await _client.GetAsync(new Uri("/api/datasets/nosuch/rows", UriKind.Relative)), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await _client.GetAsync(new Uri("/api/datasets/nosuch", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_pages_newest_first_without_first_rows()
    {
        StoredDataset[] uploaded = [
            await _client.UploadDatasetAsync(DatasetsApi.Generate(3, seed: 1000)),
            await _client.UploadDatasetAsync(DatasetsApi.Generate(3, seed: 2000)),
            await _client.UploadDatasetAsync(DatasetsApi.Generate(3, seed: 3000)),
        ];

        DatasetList page1 = ApiJson.Read<DatasetList>(await _client.GetStringAsync(new Uri("/api/datasets?limit=2", UriKind.Relative)));
        DatasetList page2 = ApiJson.Read<DatasetList>(await _client.GetStringAsync(new Uri($"/api/datasets?limit=100&cursor={page1.Next}", UriKind.Relative)));

        Assert.Equal([uploaded[2].Id, uploaded[1].Id], page1.Items.Select(d => d.Id));
        Assert.NotNull(page1.Next);
        Assert.Contains(page2.Items, d => d.Id == uploaded[0].Id);
        Assert.DoesNotContain(page2.Items, d => d.Id == uploaded[1].Id || d.Id == uploaded[2].Id);
        Assert.Null(page2.Next);
        Assert.All(page1.Items.Concat(page2.Items), d => Assert.Null(d.FirstRows));
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri("/api/datasets?limit=0", UriKind.Relative)), "limit");
        await Problem.AssertBadFieldsAsync(await _client.GetAsync(new Uri("/api/datasets?cursor=nonsense", UriKind.Relative)), "cursor");
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_409_while_a_queued_job_uses_the_dataset()
    {
        StoredDataset gone = await _client.UploadDatasetAsync(DatasetsApi.Generate(4, seed: 5000));
        StoredDataset used = await _client.UploadDatasetAsync(DatasetsApi.Generate(4, seed: 6000));
        await DatasetJobs.QueueJobOnAsync(service.Factory.Services, used.Id);

        using HttpResponseMessage deleted = await _client.DeleteAsync(new Uri($"/api/datasets/{gone.Id}", UriKind.Relative));
        using HttpResponseMessage again = await _client.DeleteAsync(new Uri($"/api/datasets/{gone.Id}", UriKind.Relative));
        using HttpResponseMessage inUse = await _client.DeleteAsync(new Uri($"/api/datasets/{used.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem.AssertAsync(await _client.GetAsync(new Uri($"/api/datasets/{gone.Id}", UriKind.Relative)), HttpStatusCode.NotFound);
        await Problem.AssertAsync(again, HttpStatusCode.NotFound);
        await Problem.AssertAsync(inUse, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri($"/api/datasets/{used.Id}", UriKind.Relative))).StatusCode);
    }

    private async Task<int> CountAsync() =>
        ApiJson.Read<DatasetList>(await _client.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative))).Items.Count;
}

/// <summary>A job on a dataset, put straight into the store: the job side of datasets is built elsewhere.</summary>
public static class DatasetJobs
{
    public static async Task<JobRecord> QueueJobOnAsync(IServiceProvider services, string datasetId)
    {
        var job = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Status = JobStatus.Queued,
            CreatedAt = DateTimeOffset.UtcNow,
            Request = new JobRequest
            {
                Dataset = new DatasetRequest { Id = datasetId, Weights = [1f], Bias = 0f, Examples = 4, NoiseStd = 0.01f, FeatureStd = 1f, Seed = 1 },
                Training = new TrainingRequest { LearningRate = 0.03f, BatchSize = 2, Epochs = 1, InitStd = 0.01f, Seed = 2 },
                SampleCount = 0,
            },
        };
        return await services.GetRequiredService<IJobStore>().AddAsync(job, new AddLimits(int.MaxValue), CancellationToken.None) switch
        {
            AddResult.Added(JobRecord added) => added,
            var other => throw new InvalidOperationException($"not added: {other}"),
        };
    }
}
