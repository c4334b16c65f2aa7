using System.Net;
using LinRegService.Client.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Client.Tests.Jobs;

/// <summary><c>GetAsync</c>, <c>CancelAsync</c> and <c>DeleteAsync</c> on finished and unknown jobs; the samples endpoints.</summary>
public sealed class ReadTests(ServiceFixture service) : ClientTests(service), IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Unknown_job_is_a_404_exception()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetAsync("no-such-job"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("Job not found", error.Title);
        Assert.Contains("no-such-job", error.Detail, StringComparison.Ordinal);
        Assert.Empty(error.Errors);
    }

    [Fact]
    public async Task Id_is_escaped_into_the_path()
    {
        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetAsync("a/b?c"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("/api/jobs/a%2Fb%3Fc", Sent[^1]);
        // One path segment reached the endpoint, "?c" included (routing leaves %2F encoded).
        Assert.Contains("b?c'", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_job_is_gone()
    {
        Job done = await Client.WaitAsync((await Client.SubmitAsync(new JobRequest())).Id, TimeSpan.FromSeconds(30));

        await Client.DeleteAsync(done.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetAsync(done.Id))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LinRegServiceException>(() => Client.DeleteAsync(done.Id))).Status);
    }

    [Fact]
    public async Task Canceling_a_finished_job_is_a_409()
    {
        Job done = await Client.WaitAsync((await Client.SubmitAsync(new JobRequest())).Id, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.CancelAsync(done.Id));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(JobStatus.Succeeded, (await Client.GetAsync(done.Id)).Status);
    }

    [Fact]
    public async Task Samples_equal_the_jobs_first_rows()
    {
        Job job = await Client.SubmitAsync(new JobRequest { SampleCount = 10 });

        SamplesPage first = await Client.GetSamplesAsync(job.Id);
        SamplesPage window = await Client.GetSamplesAsync(job.Id, offset: 5, count: 3);

        Assert.Equal(0, first.Offset);
        Assert.Equal(job.Samples!.Labels, first.Labels);
        Assert.Equal(job.Samples.Features.Select(r => r.ToArray()), first.Features.Select(r => r.ToArray()));
        Assert.Equal(5, window.Offset);
        Assert.Equal(job.Samples.Labels.Skip(5).Take(3), window.Labels);
        Assert.Equal("/api/jobs/" + job.Id + "/samples?offset=5&count=3", Sent[^1]);
    }

    [Fact]
    public async Task Sample_pages_cover_the_whole_dataset_once()
    {
        Job job = await Client.SubmitAsync(new JobRequest { SampleCount = 10 });

        List<SamplesPage> pages = [];
        await foreach (SamplesPage page in Client.GetSamplePagesAsync(job.Id, pageSize: 300))
        {
            pages.Add(page);
        }

        Assert.Equal([0, 300, 600, 900], pages.Select(p => p.Offset));
        Assert.Equal([300, 300, 300, 100], pages.Select(p => p.Labels.Count));
        Assert.All(pages, p => Assert.All(p.Features, row => Assert.Equal(2, row.Count)));
        Assert.Equal(job.Samples!.Labels, pages[0].Labels.Take(10));
        SamplesPage middle = await Client.GetSamplesAsync(job.Id, offset: 650, count: 5);
        Assert.Equal(pages[2].Labels.Skip(50).Take(5), middle.Labels);
    }

    [Fact]
    public async Task Samples_past_the_end_are_a_400_naming_offset()
    {
        Job job = await Client.SubmitAsync(new JobRequest());

        var error = await Assert.ThrowsAsync<LinRegServiceException>(() => Client.GetSamplesAsync(job.Id, offset: 1000));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(["offset"], error.Errors.Keys);
    }
}
