using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>A host whose job store records every call, to tell which reads a feature makes.</summary>
public sealed class RecordingStoreFixture : ServiceFixture
{
    public RecordingStore Store { get; private set; } = null!;

    protected override void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        RecordingStore.Install(services, recorder => Store = recorder);
}

/// <summary>
/// No request is amplified: a job's samples are capped at <c>Jobs:MaxSampleValues</c> values, list
/// items leave them out, and event streams never read them.
/// </summary>
public sealed class AmplificationTests(RecordingStoreFixture service) : IClassFixture<RecordingStoreFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    private static string Wide(int features, string sampleCount = "", int examples = 100) =>
        $$"""{ "dataset": { "weights": [{{string.Join(", ", Enumerable.Repeat("0.5", features))}}], "examples": {{examples}} }{{sampleCount}} }""";

    [Fact]
    public async Task Samples_past_twenty_thousand_values_are_a_400_naming_sampleCount()
    {
        using HttpResponseMessage over = await _client.PostJsonAsync(Wide(1000, """, "sampleCount": 21"""));
        JsonObject problem = await Problem.AssertBadFieldsAsync(over, "sampleCount");
        Assert.Contains("21 × 1000 = 21000", problem["errors"]!["sampleCount"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        Job at = await _client.SubmitAsync(Wide(1000, """, "sampleCount": 20"""));
        Assert.Equal(20, at.Samples!.Features.Count);
    }

    [Fact]
    public async Task A_wide_job_without_sampleCount_gets_as_many_rows_as_fit()
    {
        Job job = await _client.SubmitAsync(Wide(4096));

        Assert.Equal(4, job.Request.SampleCount); // 20,000 / 4096 values, below the book's 10 rows
        Assert.Equal(4, job.Samples!.Features.Count);
        Assert.Equal(10, (await _client.SubmitAsync()).Samples!.Features.Count); // the book's run keeps its 10
    }

    [Fact]
    public async Task List_items_have_null_samples_and_the_job_keeps_them()
    {
        Job wide = await _client.SubmitAsync(Wide(1000, """, "sampleCount": 20"""));

        string list = await _client.GetStringAsync(new Uri("/api/jobs?limit=1", UriKind.Relative));
        string single = await _client.GetStringAsync(new Uri($"/api/jobs/{wide.Id}", UriKind.Relative));

        JsonObject item = ApiJson.Parse(list)["items"]!.AsArray().Single()!.AsObject();
        Assert.Equal(wide.Id, (string?)item["id"]);
        Assert.True(item.ContainsKey("samples"), list[..Math.Min(300, list.Length)]);
        Assert.Null(item["samples"]);
        Assert.Contains("\"samples\":null", list, StringComparison.Ordinal);
        Assert.Equal(20, ApiJson.Parse(single)["samples"]!["features"]!.AsArray().Count);
        // 20 rows × 1000 features are most of the job; the list item carries its 1000 weights only.
        Assert.True(list.Length * 5 < single.Length, $"list {list.Length} bytes, job {single.Length} bytes");
    }

    [Fact]
    public async Task An_event_stream_reads_progress_and_never_the_samples()
    {
        Job submitted = await _client.SubmitAsync(Requests.LongJob(examples: 200_000, features: 8, epochs: 25).Replace("\"sampleCount\": 0", "\"sampleCount\": 100", StringComparison.Ordinal));
        int before = service.Store.Calls.Count;

        List<JobEvent> events = await _client.ReadAllEventsAsync(submitted.Id);

        string[] reads = [.. service.Store.Calls.Skip(before).Where(c => Equals(c.FirstArgument, submitted.Id)).Select(c => c.Method)];
        Assert.Equal(Enumerable.Range(1, 25), events.Where(e => e.Name == JobEventNames.Epoch).Select(e => e.Epoch!.Epoch));
        Assert.Equal(JobStatus.Succeeded, events[^1].Done!.Status);
        Assert.All(events.Where(e => e.Name == JobEventNames.Status), e => Assert.Null(e.Job!.Samples));
        Assert.DoesNotContain("GetAsync", reads);
        Assert.Contains("GetProgressAsync", reads);
        Assert.Contains("GetWithoutSamplesAsync", reads);
        Assert.Equal(100, (await _client.GetJobAsync(submitted.Id)).Samples!.Features.Count);
    }
}
