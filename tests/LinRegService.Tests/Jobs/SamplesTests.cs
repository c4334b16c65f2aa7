using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary><c>GET /api/jobs/{id}/samples</c>: rows regenerated from the seed, equal to the job's samples.</summary>
public sealed class SamplesTests(SamplesTests.OneJob service) : IClassFixture<SamplesTests.OneJob>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task First_ten_rows_equal_the_jobs_samples_exactly()
    {
        SamplesPage page = await GetPageAsync("?offset=0&count=10");

        Assert.Equal(0, page.Offset);
        AssertRowsEqual(service.Job.Samples!.Features, page.Features);
        Assert.Equal(service.Job.Samples.Labels, page.Labels);
    }

    [Fact]
    public async Task Defaults_are_offset_zero_and_ten_rows()
    {
        SamplesPage page = await GetPageAsync("");

        Assert.Equal(0, page.Offset);
        Assert.Equal(service.Job.Samples!.Labels, page.Labels);
    }

    [Fact]
    public async Task Overlapping_windows_agree_on_the_rows_they_share()
    {
        SamplesPage wide = await GetPageAsync("?offset=0&count=40");
        SamplesPage middle = await GetPageAsync("?offset=15&count=20");

        Assert.Equal(40, wide.Labels.Count);
        Assert.Equal(15, middle.Offset);
        Assert.Equal(20, middle.Labels.Count);
        AssertRowsEqual(wide.Features.Skip(15).Take(20).ToList(), middle.Features);
        Assert.Equal(wide.Labels.Skip(15).Take(20), middle.Labels);
        AssertRowsEqual(service.Job.Samples!.Features, wide.Features.Take(10).ToList());
    }

    [Fact]
    public async Task Window_past_the_end_is_cut_at_the_last_row()
    {
        SamplesPage page = await GetPageAsync("?offset=995&count=20");

        Assert.Equal(995, page.Offset);
        Assert.Equal(5, page.Labels.Count);
        Assert.Equal(5, page.Features.Count);
        Assert.All(page.Features, row => Assert.Equal(2, row.Count));
    }

    [Fact]
    public async Task Page_json_uses_the_contracts_names()
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/samples?offset=3&count=2");
        System.Text.Json.Nodes.JsonObject json = await response.ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, (int?)json["offset"]);
        Assert.Equal(2, json["features"]!.AsArray().Count);
        Assert.Equal(2, json["labels"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("?count=0", "count")]
    [InlineData("?count=1001", "count")]
    [InlineData("?count=-1", "count")]
    [InlineData("?offset=1000", "offset")]
    [InlineData("?offset=5000&count=1", "offset")]
    [InlineData("?offset=-1", "offset")]
    public async Task Out_of_range_offset_or_count_is_a_400_naming_it(string query, string field)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/samples{query}");

        await Problem.AssertBadFieldsAsync(response, field);
    }

    [Fact]
    public async Task Unknown_job_is_404()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs/no-such-job/samples?offset=0&count=10");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound);
    }

    private async Task<SamplesPage> GetPageAsync(string query)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/samples{query}");
        return await response.ReadAsAsync<SamplesPage>(HttpStatusCode.OK);
    }

    private static void AssertRowsEqual(IReadOnlyList<IReadOnlyList<float>> expected, IReadOnlyList<IReadOnlyList<float>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    /// <summary>One finished book job (1000 rows, 10 samples) to page through.</summary>
    public sealed class OneJob : ServiceFixture, IAsyncLifetime
    {
        private Job? _job;

        public Job Job => _job ?? throw new InvalidOperationException("not initialized");

        public async Task InitializeAsync()
        {
            HttpClient client = CreateClient();
            Job queued = await client.SubmitAsync("""{ "dataset": { "seed": 5 }, "training": { "seed": 6 } }""");
            _job = await client.WaitForFinishAsync(queued.Id);
            Assert.Equal(10, _job.Samples?.Labels.Count);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
