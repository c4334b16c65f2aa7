using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace LinRegService.Tests.Telemetry;

/// <summary>A run that ends without a result is one train span with the job's own words as its status, and the attempt says it failed.</summary>
public sealed class UnfinishedRunTraceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_diverged_run_is_one_failed_train_span_in_the_jobs_words()
    {
        var spans = new List<Activity>();
        using var service = new ServiceFactory(_directory.ConnectionString)
        {
            TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)),
        };
        using HttpClient client = service.CreateClient();
        Job submitted = await client.SubmitAsync("""{"training":{"learningRate":30,"epochs":50}}""");
        Job failed = await client.WaitForFinishAsync(submitted.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);

        // The attempt span is exported just after the status is written; it ends after all its children.
        Activity[] all = await ExportedSpans.WaitForAsync(spans, s => s.OperationName == "linreg.job.attempt" && s.GetTagItem("linreg.job.id") as string == submitted.Id, "linreg.job.attempt");
        Activity attempt = Assert.Single(all, s => s.OperationName == "linreg.job.attempt" && s.GetTagItem("linreg.job.id") as string == submitted.Id);
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        Assert.Equal("diverged", attempt.GetTagItem("linreg.job.failure"));
        Activity train = Assert.Single(all, s => s.OperationName == "linreg.job.train" && s.ParentSpanId == attempt.SpanId);
        Assert.Equal(ActivityStatusCode.Error, train.Status);
        Assert.Equal(failed.Error?.Message, train.StatusDescription);
        Assert.Equal(failed.EpochLosses.Count, train.Events.Count());
        Assert.DoesNotContain(all, s => s.OperationName == "linreg.job.closed_form" && s.ParentSpanId == attempt.SpanId);
    }

    public void Dispose() => _directory.Dispose();
}
