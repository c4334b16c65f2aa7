using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>When the closed form is not there, the result says why in words (<c>closedFormNote</c>).</summary>
public sealed class ClosedFormNoteTests(ClosedFormNoteTests.OneFeatureClosedForm service) : IClassFixture<ClosedFormNoteTests.OneFeatureClosedForm>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_dataset_beyond_the_closed_forms_limits_says_so()
    {
        Contracts.Job queued = await _client.SubmitAsync();

        Contracts.Job job = await _client.WaitForFinishAsync(queued.Id);

        Assert.Equal(Contracts.JobStatus.Succeeded, job.Status);
        Assert.Null(job.Result!.ClosedForm);
        Assert.StartsWith("Not computed", job.Result.ClosedFormNote, StringComparison.Ordinal);
        Assert.Contains("at most 1 features", job.Result.ClosedFormNote, StringComparison.Ordinal);
    }

    /// <summary>The closed form only up to one feature, so the book's two-feature run has none.</summary>
    public sealed class OneFeatureClosedForm : ServiceFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:Limits:MaxClosedFormFeatures"] = "1",
        };
    }
}
