using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>Training is a pure function of the request and its seeds: a rerun gives the same bits.</summary>
public sealed class ReproducibilityTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Same_seeds_give_a_bit_identical_result()
    {
        const string Request = """{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""";

        Job first = await RunAsync(Request);
        Job second = await RunAsync(Request);

        Assert.NotEqual(first.Id, second.Id);
        AssertSameResult(first, second);
    }

    [Fact]
    public async Task Resubmitting_the_returned_request_reruns_a_job_whose_seeds_were_drawn()
    {
        Job first = await RunAsync("{}");
        string request = System.Text.Json.JsonSerializer.Serialize(first.Request, ApiJson.Options);

        Job second = await RunAsync(request);

        Assert.Equal(first.Request.Dataset!.Seed, second.Request.Dataset!.Seed);
        Assert.Equal(first.Request.Training!.Seed, second.Request.Training!.Seed);
        AssertSameResult(first, second);
    }

    [Fact]
    public async Task Different_training_seeds_give_different_weights()
    {
        Job first = await RunAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 1 } }""");
        Job second = await RunAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 2 } }""");

        Assert.Equal(first.Samples!.Labels, second.Samples!.Labels);
        Assert.NotEqual(Bits(first.Result!.Weights), Bits(second.Result!.Weights));
    }

    private async Task<Job> RunAsync(string request)
    {
        Job queued = await _client.SubmitAsync(request);
        Job job = await _client.WaitForFinishAsync(queued.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        return job;
    }

    private static void AssertSameResult(Job first, Job second)
    {
        Assert.Equal(Bits(first.Result!.Weights), Bits(second.Result!.Weights));
        Assert.Equal(BitConverter.SingleToInt32Bits(first.Result.Bias), BitConverter.SingleToInt32Bits(second.Result!.Bias));
        Assert.Equal(first.EpochLosses.Select(BitConverter.DoubleToInt64Bits), second.EpochLosses.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(first.Samples!.Labels, second.Samples!.Labels);
    }

    private static int[] Bits(IReadOnlyList<float> values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
