using System.Net;
using System.Net.Http.Headers;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Plots;

/// <summary>
/// <c>/api/jobs/{id}/plots/…</c>: SVG parsed back, its points counted and its tick labels read as
/// numbers; bad features are 400 problems naming <c>feature</c>.
/// </summary>
public sealed class PlotEndpointTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Loss_plot_has_one_point_per_epoch_a_log_axis_and_the_closed_form_line()
    {
        Job job = await FinishedBookRunAsync();

        SvgPlot plot = await SvgPlot.GetAsync(_client, $"/api/jobs/{job.Id}/plots/loss.svg");

        Assert.Equal(3, plot.Markers);
        Assert.Contains("Loss per epoch", plot.Texts);
        Assert.Contains("epoch", plot.Texts);
        Assert.Contains(plot.Texts, t => t.StartsWith("mean loss", StringComparison.Ordinal));
        Assert.Contains(plot.Texts, t => t.StartsWith("closed-form optimum", StringComparison.Ordinal));
        IReadOnlyList<double> ticks = plot.Numbers;
        Assert.All(ticks, t => Assert.True(double.IsFinite(t), $"tick {t}"));
        Assert.Equal([1, 2, 3], ticks.Where(t => t >= 1).Order()); // the epoch axis
        // The loss axis: whole powers of ten spanning every loss and the optimum.
        double[] decades = [.. ticks.Where(t => t < 1)];
        Assert.True(decades.Length >= 2, string.Join(", ", plot.Texts));
        Assert.All(decades, t => Assert.Equal(Math.Round(Math.Log10(t)), Math.Log10(t), 9));
        double[] values = [.. job.EpochLosses, job.Result!.ClosedForm!.Loss];
        Assert.InRange(decades.Min(), 0, values.Min());
        Assert.InRange(decades.Max(), values.Max(), 1);
    }

    [Fact]
    public async Task Data_plot_draws_every_row_of_the_chosen_feature_with_the_learned_line()
    {
        Job job = await FinishedBookRunAsync();

        SvgPlot first = await SvgPlot.GetAsync(_client, $"/api/jobs/{job.Id}/plots/data.svg?feature=0");
        SvgPlot seeds = await SvgPlot.GetAsync(_client, $"/api/jobs/{job.Id}/plots/data.svg");

        Assert.Equal(1000, first.Markers);
        Assert.Contains("Feature 0 against the label", first.Texts);
        Assert.Contains("label y", first.Texts);
        Assert.Contains("feature x[0] (all 1000 rows)", first.Texts);
        Assert.Contains(first.Texts, t => t.StartsWith("learned: y = 2.00", StringComparison.Ordinal) || t.StartsWith("learned: y = 1.99", StringComparison.Ordinal));
        Assert.Contains("Feature 1 against the label", seeds.Texts); // the seed's plot by default
        Assert.Equal(1000, seeds.Markers);
        IReadOnlyList<double> ticks = first.Numbers;
        Assert.True(ticks.Count >= 4, string.Join(", ", first.Texts));
        Assert.All(ticks, t => Assert.True(double.IsFinite(t), $"tick {t}"));
        Assert.True(ticks.Max() - ticks.Min() is > 0 and < 100, $"axis range {ticks.Min()} … {ticks.Max()}");
    }

    [Fact]
    public async Task Data_plot_of_a_large_dataset_draws_its_first_2000_rows()
    {
        Job job = await _client.SubmitAsync("""{ "dataset": { "examples": 5000 } }""");
        await _client.WaitForFinishAsync(job.Id);

        SvgPlot plot = await SvgPlot.GetAsync(_client, $"/api/jobs/{job.Id}/plots/data.svg?feature=1");

        Assert.Equal(2000, plot.Markers);
        Assert.Contains("feature x[1] (first 2000 of 5000 rows)", plot.Texts);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    public async Task A_feature_out_of_range_is_a_400_naming_feature(string feature)
    {
        Job job = await FinishedBookRunAsync();

        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg?feature={Uri.EscapeDataString(feature)}");

        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("from 0 to 1", problem["errors"]!["feature"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task A_feature_that_is_not_a_whole_number_is_a_400_problem(string feature)
    {
        Job job = await FinishedBookRunAsync();

        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg?feature={Uri.EscapeDataString(feature)}");

        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("is not a whole number", problem["errors"]!["feature"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("loss.svg")]
    [InlineData("data.png")]
    public async Task Plots_of_an_unknown_job_are_404_problems(string plot)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/nosuchjob/plots/{plot}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Png_variants_are_png_and_an_unchanged_plot_is_a_304()
    {
        Job job = await FinishedBookRunAsync();

        using HttpResponseMessage png = await _client.GetAsync($"/api/jobs/{job.Id}/plots/loss.png");
        byte[] bytes = await png.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job.Id}/plots/data.svg");
        using HttpResponseMessage first = await _client.GetAsync($"/api/jobs/{job.Id}/plots/data.svg");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using HttpResponseMessage second = await _client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    private async Task<Job> FinishedBookRunAsync()
    {
        Job job = await _client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
        Job finished = await _client.WaitForFinishAsync(job.Id);
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        return finished;
    }
}
