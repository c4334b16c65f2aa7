using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary><c>GET /api/jobs</c>: newest first, status filter before the limit, cursor paging.</summary>
public sealed class ListTests(ListTests.Jobs service) : IClassFixture<ListTests.Jobs>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Lists_every_job_newest_first()
    {
        JobList list = await _client.ListAsync("?limit=100");

        Assert.Equal(service.SubmittedNewestFirst, list.Items.Select(j => j.Id));
        Assert.Null(list.Next);
    }

    [Fact]
    public async Task Status_filter_applies_before_the_limit()
    {
        // The three failed jobs are the oldest: filtering after the limit would find none of them.
        JobList page = await _client.ListAsync("?status=failed&limit=2");

        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, job => Assert.Equal(JobStatus.Failed, job.Status));
        Assert.Equal(service.Failed.AsEnumerable().Reverse().Take(2), page.Items.Select(j => j.Id));
        Assert.NotNull(page.Next);

        JobList rest = await _client.ListAsync($"?status=failed&limit=2&cursor={page.Next}");
        Assert.Equal([service.Failed[0]], rest.Items.Select(j => j.Id));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task Status_filter_returns_only_that_status()
    {
        JobList succeeded = await _client.ListAsync("?status=succeeded&limit=100");
        JobList canceled = await _client.ListAsync("?status=canceled");

        Assert.Equal(service.Succeeded.AsEnumerable().Reverse(), succeeded.Items.Select(j => j.Id));
        Assert.Empty(canceled.Items);
        Assert.Null(canceled.Next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Paging_with_the_cursor_returns_every_job_exactly_once_newest_first(int limit)
    {
        var seen = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            JobList page = await _client.ListAsync(cursor is null ? $"?limit={limit}" : $"?limit={limit}&cursor={cursor}");
            Assert.InRange(page.Items.Count, 1, limit);
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.Next;
            pages++;
            Assert.True(pages <= service.SubmittedNewestFirst.Count, "the cursor never ends");
        }
        while (cursor is not null);

        Assert.Equal(service.SubmittedNewestFirst, seen);
        Assert.Equal((service.SubmittedNewestFirst.Count + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Last_page_has_next_null_in_the_json()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/jobs?limit=100");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"next\":null", body, StringComparison.Ordinal);
        Assert.Equal(service.SubmittedNewestFirst.Count, ApiJson.Parse(body)["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Default_page_is_at_most_twenty()
    {
        JobList page = await _client.ListAsync();

        Assert.Equal(service.SubmittedNewestFirst.Take(20), page.Items.Select(j => j.Id));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?cursor=bogus", "cursor")]
    [InlineData("?cursor=AAAAAAAAAAA", "cursor")]
    [InlineData("?cursor=%21%21%21", "cursor")]
    [InlineData("?status=bogus", "status")]
    [InlineData("?status=1", "status")]
    public async Task Bad_status_limit_or_cursor_is_a_400_naming_it(string query, string field)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs{query}");

        await Problem.AssertBadFieldsAsync(response, field);
    }

    [Fact]
    public async Task Limit_of_one_hundred_is_allowed()
    {
        JobList page = await _client.ListAsync("?limit=100");

        Assert.Equal(service.SubmittedNewestFirst.Count, page.Items.Count);
    }

    /// <summary>Three failed jobs (the oldest), then five succeeded ones, all finished before any test reads.</summary>
    public sealed class Jobs : ServiceFixture, IAsyncLifetime
    {
        public List<string> Failed { get; } = [];

        public List<string> Succeeded { get; } = [];

        public IReadOnlyList<string> SubmittedNewestFirst => [.. Succeeded.AsEnumerable().Reverse(), .. Failed.AsEnumerable().Reverse()];

        public async Task InitializeAsync()
        {
            HttpClient client = CreateClient();
            for (int i = 0; i < 3; i++)
            {
                Failed.Add((await client.SubmitAsync("""{ "training": { "learningRate": 10 } }""")).Id);
            }
            for (int i = 0; i < 5; i++)
            {
                Succeeded.Add((await client.SubmitAsync("""{ "sampleCount": 0 }""")).Id);
            }
            foreach (string id in Failed)
            {
                Assert.Equal(JobStatus.Failed, (await client.WaitForFinishAsync(id)).Status);
            }
            foreach (string id in Succeeded)
            {
                Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(id)).Status);
            }
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
