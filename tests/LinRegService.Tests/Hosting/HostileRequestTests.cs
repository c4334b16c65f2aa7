using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Datasets;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// Requests made to hurt: each is a 4xx problem, never a 500, and no answer is much larger than
/// the request that asked for it.
/// </summary>
public sealed class HostileRequestTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_grid_value_of_many_bad_weights_is_named_a_few_times_in_an_answer_smaller_than_the_request()
    {
        // 4096 weights too large for a float32, padded to most of a megabyte: each error once quoted the whole value.
        string value = "[[" + string.Join(",", Enumerable.Repeat("1e39", 4096)) + new string(' ', 700_000) + "]]";
        string body = $$"""{ "grid": { "dataset.weights": {{value}} } }""";

        using HttpResponseMessage response = await _client.PostSweepAsync(body);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, "grid.dataset.weights[0]", "grid.dataset.weights[20]");
        Assert.True(problem.ToJsonString().Length < 16 * 1024, $"a {body.Length}-character request got a {problem.ToJsonString().Length}-character answer");
        JsonObject errors = problem["errors"]!.AsObject();
        Assert.Equal(21, errors.Count); // the first 20 weights by index, and one line for the rest
        Assert.Contains("dataset.weights[20] and 4075 more items after it are not finite numbers (4096 in all", (string?)errors["grid.dataset.weights[20]"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_bad_weights_or_outlier_rows_of_a_job_are_named_twenty_at_a_time()
    {
        string weights = string.Join(",", Enumerable.Repeat("1e39", 4096));
        string rows = string.Join(",", Enumerable.Repeat("-1", 1000));

        using HttpResponseMessage response = await _client.PostAsync(new Uri("/api/jobs", UriKind.Relative), new StringContent(
            $$"""{ "dataset": { "weights": [{{weights}}] } }""", Encoding.UTF8, "application/json"));
        using HttpResponseMessage outliers = await _client.PostAsync(new Uri("/api/jobs", UriKind.Relative), new StringContent(
            $$"""{ "dataset": { "outliers": { "rows": [{{rows}}], "label": 5 } } }""", Encoding.UTF8, "application/json"));

        JsonObject weightErrors = (await Problem.AssertBadFieldsAsync(response, "dataset.weights[19]", "dataset.weights[20]"))["errors"]!.AsObject();
        Assert.Equal(21, weightErrors.Count);
        JsonObject rowErrors = (await Problem.AssertBadFieldsAsync(outliers, "dataset.outliers.rows[19]", "dataset.outliers.rows[20]"))["errors"]!.AsObject();
        Assert.Equal(21, rowErrors.Count);
        Assert.Contains("and 979 more items after it are out of range or repeated (1000 in all", (string?)rowErrors["dataset.outliers.rows[20]"]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=XYZ", "a,b\n1,2\n")] // the boundary never comes
    [InlineData("multipart/form-data; boundary=XYZ", "--XYZ\r\nno colon here\r\n\r\na,b\n1,2\n--XYZ--\r\n")] // a part header without ':'
    [InlineData("multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\na,b\n1,2\n")] // no closing boundary
    public async Task A_broken_multipart_upload_is_a_400_and_stores_nothing(string contentType, string body)
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using HttpResponseMessage response = await _client.PostAsync(new Uri("/api/datasets", UriKind.Relative), content);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, "body");
        Assert.Contains("multipart", ((string?)problem["detail"])!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await DatasetsApi.OrphanChunksAsync(service.Factory.Services));
    }

    [Fact]
    public async Task A_multipart_boundary_longer_than_rfc_2046_allows_is_a_400()
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes("a,b\n1,2\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={new string('b', 5000)}");

        using HttpResponseMessage response = await _client.PostAsync(new Uri("/api/datasets", UriKind.Relative), content);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, "body");
        Assert.Contains("boundary of 1 to 70 characters", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/jobs", "bogus")]
    [InlineData("/api/jobs", "windows-1252")]
    [InlineData("/api/sweeps", "\"latin1\"")]
    public async Task A_json_body_in_another_charset_than_utf_8_is_a_415_naming_it(string path, string charset)
    {
        using var content = new ByteArrayContent("{}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using HttpResponseMessage response = await _client.PostAsync(new Uri(path, UriKind.Relative), content);

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(charset.Trim('"'), (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf_8_named_in_any_case_is_accepted()
    {
        using var content = new ByteArrayContent("{}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");

        using HttpResponseMessage response = await _client.PostAsync(new Uri("/api/jobs", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_page_of_a_wide_jobs_rows_is_held_to_Jobs_MaxSampleValues()
    {
        string weights = string.Join(",", Enumerable.Repeat("1", 4096));
        Job wide = await _client.SubmitAsync($$"""{ "dataset": { "weights": [{{weights}}], "examples": 50 }, "training": { "epochs": 1 } }""");

        using HttpResponseMessage tooMany = await _client.GetAsync(new Uri($"/api/jobs/{wide.Id}/samples?count=1000", UriKind.Relative));
        SamplesPage byDefault = ApiJson.Read<SamplesPage>(await _client.GetStringAsync(new Uri($"/api/jobs/{wide.Id}/samples", UriKind.Relative)));

        JsonObject problem = await Problem.AssertBadFieldsAsync(tooMany, "count");
        Assert.Contains("count must be between 1 and 4: a page holds at most 20000 values (Jobs:MaxSampleValues)", (string?)problem["errors"]!["count"]![0], StringComparison.Ordinal);
        Assert.Equal(4, byDefault.Labels.Count); // 20,000 values / 4096 features, not the usual 10 rows
    }

    [Fact]
    public async Task A_column_name_longer_than_a_datasets_name_may_be_is_a_400()
    {
        using HttpResponseMessage response = await _client.UploadAsync(new string('x', 201) + ",y\n1,2\n");

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, "body");
        Assert.Contains("a name of 201 characters; a column name may have at most 200", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_header_fields_than_a_hundred_is_a_431_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health/live", UriKind.Relative));
        for (int i = 0; i < 120; i++)
        {
            request.Headers.Add($"X-Extra-{i}", "a");
        }

        using HttpResponseMessage response = await _client.SendAsync(request);

        JsonObject problem = await Problem.AssertAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Contains("more than 100 header fields", (string?)problem["detail"], StringComparison.Ordinal);
    }
}
