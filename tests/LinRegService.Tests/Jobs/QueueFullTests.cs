using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>Past <c>Jobs:MaxQueued</c> waiting jobs a submission gets 503 with <c>Retry-After</c>.</summary>
public sealed class QueueFullTests(QueueFullTests.OneQueuedPlace service) : IClassFixture<QueueFullTests.OneQueuedPlace>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Full_queue_is_a_503_with_retry_after_until_a_place_frees_up()
    {
        Job running = await _client.SubmitAsync(Requests.LongJob());
        await _client.WaitForStatusAsync(running.Id, JobStatus.Running);
        Job waiting = await _client.SubmitAsync();
        string? late = null;
        try
        {
            using HttpResponseMessage full = await _client.PostJsonAsync("{}");

            await Problem.AssertAsync(full, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(7), full.Headers.RetryAfter?.Delta);
            Assert.Equal(2, (await _client.ListAsync()).Items.Count);

            (await _client.CancelAsync(waiting.Id)).Dispose();
            late = (await _client.SubmitAsync()).Id;
            Assert.Equal(JobStatus.Queued, (await _client.GetJobAsync(late)).Status);
        }
        finally
        {
            if (late is not null)
            {
                (await _client.CancelAsync(late)).Dispose();
            }
            (await _client.CancelAsync(waiting.Id)).Dispose();
            (await _client.CancelAsync(running.Id)).Dispose();
        }
        await _client.WaitForFinishAsync(running.Id, TimeSpan.FromSeconds(10));
    }

    /// <summary>One worker, one place in the queue, Retry-After 7 s.</summary>
    public sealed class OneQueuedPlace : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:MaxQueued"] = "1",
            ["Jobs:RetryAfterSeconds"] = "7",
        };
    }
}
