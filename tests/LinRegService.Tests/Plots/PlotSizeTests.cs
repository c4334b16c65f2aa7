using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Plots;

/// <summary>The plots' optional <c>width</c> and <c>height</c>: the picture has that size, the ETag tells sizes apart, bad values are 400s naming the parameter.</summary>
public sealed class PlotSizeTests(PlotSizeTests.BookJob service) : IClassFixture<PlotSizeTests.BookJob>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Svg_is_the_size_asked_for_and_720_by_440_without_it()
    {
        SvgPlot small = await SvgPlot.GetAsync(_client, $"/api/jobs/{service.Job.Id}/plots/loss.svg?width=360&height=240");
        SvgPlot wide = await SvgPlot.GetAsync(_client, $"/api/jobs/{service.Job.Id}/plots/data.svg?feature=0&width=1200");
        SvgPlot usual = await SvgPlot.GetAsync(_client, $"/api/jobs/{service.Job.Id}/plots/loss.svg");

        Assert.Equal(("360", "240"), Size(small));
        Assert.Equal(("1200", "440"), Size(wide));
        Assert.Equal(("720", "440"), Size(usual));
        Assert.Equal(1000, wide.Markers); // the same drawing, not an empty one
        Assert.Contains("Loss per epoch", small.Texts);
    }

    [Fact]
    public async Task Png_is_the_size_asked_for()
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/plots/data.png?width=400&height=300");
        byte[] png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The IHDR chunk: width and height, big-endian, after the 8-byte signature and the chunk's length and type.
        Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(300, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public async Task Another_size_is_another_etag()
    {
        using HttpResponseMessage first = await _client.GetAsync($"/api/jobs/{service.Job.Id}/plots/loss.svg?width=400&height=300");
        using var other = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{service.Job.Id}/plots/loss.svg?width=500&height=300");
        other.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var same = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{service.Job.Id}/plots/loss.svg?width=400&height=300");
        same.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using HttpResponseMessage otherAnswer = await _client.SendAsync(other);
        using HttpResponseMessage sameAnswer = await _client.SendAsync(same);

        Assert.Equal(HttpStatusCode.OK, otherAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, sameAnswer.StatusCode);
    }

    [Theory]
    [InlineData("loss.svg", "width=199", "width")]
    [InlineData("loss.svg", "width=2001", "width")]
    [InlineData("loss.png", "width=abc", "width")]
    [InlineData("data.svg", "width=400.5", "width")]
    [InlineData("data.png", "width=1e3", "width")]
    [InlineData("loss.svg", "height=149", "height")]
    [InlineData("data.svg", "height=1501", "height")]
    [InlineData("data.svg", "height=-300", "height")]
    public async Task A_size_out_of_range_or_not_whole_pixels_is_a_400_naming_it(string plot, string query, string field)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/plots/{plot}?{query}");

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, field);
        Assert.Contains("whole number", (string?)problem["errors"]![field]![0], StringComparison.Ordinal);
        Assert.Single(problem["errors"]!.AsObject());
    }

    [Fact]
    public async Task A_bad_size_and_a_bad_feature_are_named_together()
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/jobs/{service.Job.Id}/plots/data.svg?feature=9&width=10&height=10");

        await Problem.AssertBadFieldsAsync(response, "feature", "width", "height");
    }

    private static (string? Width, string? Height) Size(SvgPlot plot) =>
        ((string?)plot.Document.Root!.Attribute("width"), (string?)plot.Document.Root!.Attribute("height"));

    /// <summary>One finished book run to draw.</summary>
    public sealed class BookJob : ServiceFixture, IAsyncLifetime
    {
        private Job? _job;

        public Job Job => _job ?? throw new InvalidOperationException("not initialized");

        public async Task InitializeAsync()
        {
            HttpClient client = CreateClient();
            Job queued = await client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
            _job = await client.WaitForFinishAsync(queued.Id);
            Assert.Equal(JobStatus.Succeeded, _job.Status);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
