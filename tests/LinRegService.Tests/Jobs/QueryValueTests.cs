using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Query strings as people write them: an empty value (<c>?offset=&amp;count=</c>, as the README
/// shows them) means "not given", and a malformed one is a 400 naming the parameter in words.
/// </summary>
public sealed class QueryValueTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Empty_list_parameters_mean_not_given()
    {
        Contracts.Job job = await _client.SubmitAsync();

        Contracts.JobList page = await _client.ListAsync("?status=&limit=&cursor=");

        Assert.Contains(page.Items, item => item.Id == job.Id);
    }

    [Fact]
    public async Task Empty_samples_parameters_mean_not_given()
    {
        Contracts.Job job = await _client.SubmitAsync();

        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{job.Id}/samples?offset=&count=");

        JsonObject page = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, (int?)page["offset"]);
        Assert.Equal(10, page["labels"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_empty_feature_means_the_default_one()
    {
        Contracts.Job job = await _client.WaitForFinishAsync((await _client.SubmitAsync()).Id);

        using HttpResponseMessage empty = await _client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg?feature=");
        using HttpResponseMessage first = await _client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg?feature=1");

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        SvgPlot emptyPlot = SvgPlot.Parse(await empty.Content.ReadAsStringAsync());
        SvgPlot firstPlot = SvgPlot.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal(firstPlot.Texts, emptyPlot.Texts);
        Assert.Equal(firstPlot.Markers, emptyPlot.Markers);
    }

    [Theory]
    [InlineData("/api/jobs?limit=abc", "limit")]
    [InlineData("/api/jobs?limit=1.5", "limit")]
    [InlineData("/api/jobs?limit=99999999999", "limit")]
    [InlineData("/api/jobs/some-id/samples?offset=x", "offset")]
    [InlineData("/api/jobs/some-id/samples?count=-", "count")]
    public async Task Malformed_value_is_a_400_naming_the_parameter_in_words(string url, string parameter)
    {
        using HttpResponseMessage response = await _client.GetAsync(url);

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, parameter);
        string text = problem.ToJsonString();
        Assert.Contains("whole number", text, StringComparison.Ordinal);
        foreach (string jargon in (string[])["Nullable", "Int32", "int?", "System."])
        {
            Assert.DoesNotContain(jargon, text, StringComparison.Ordinal);
        }
    }
}
