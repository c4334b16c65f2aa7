using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Queue;

/// <summary>A host on a clock that stands still (no progress flush comes due) whose job store records every call.</summary>
public sealed class StillClockRecordingFixture : FakeClockFixture
{
    public RecordingStore Store { get; private set; } = null!;

    protected override void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        base.ConfigureTestServices(services);
        RecordingStore.Install(services, recorder => Store = recorder);
    }
}

/// <summary>
/// A job that ends before its next progress flush (the book's run, in microseconds) writes its
/// epoch losses with its final status, in the finish's one transaction, not in a write of their own.
/// </summary>
public sealed class FinishWriteTests(StillClockRecordingFixture service) : IClassFixture<StillClockRecordingFixture>
{
    [Fact]
    public async Task A_book_run_writes_its_losses_with_its_result_in_one_call()
    {
        HttpClient client = service.CreateClient();
        Job submitted = await client.SubmitAsync();

        Job done = await client.WaitForFinishAsync(submitted.Id);

        string[] calls = [.. service.Store.Calls.Where(c => Equals(c.FirstArgument, submitted.Id)).Select(c => c.Method)];
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(3, done.EpochLosses.Count);
        Assert.DoesNotContain("AppendLossesAsync", calls);
        Assert.Equal(1, calls.Count(c => c == "FinishAsync"));
    }
}
