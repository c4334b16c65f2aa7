using System.Net;
using System.Net.Http.Headers;
using LinRegService.Contracts;
using LinRegService.Tests.Replicas;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Telemetry;

/// <summary>
/// A real Prometheus scraping a real service process (keys on, <c>/metrics</c> behind the admin
/// key, the compose file's recording rules loaded): a known mix of jobs shows in Prometheus's own
/// query API as exactly that mix.
/// </summary>
public sealed class PrometheusScrapeTests : IDisposable
{
    private static readonly TimeSpan _scrapeLimit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    [PrometheusFact]
    public async Task Prometheus_sees_exactly_the_jobs_that_succeeded_failed_were_canceled_and_rejected()
    {
        using ServiceReplica service = ServiceReplica.Start("service", Path.Combine(_directory.Path, "service"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Jobs"] = $"Data Source={Path.Combine(_directory.Path, "jobs.db")}",
            ["Auth__Mode"] = "ApiKeys",
            ["Auth__AdminKey"] = KeysApi.AdminSecret,
            ["Telemetry__PrometheusEndpoint"] = "true",
            ["Jobs__Workers"] = "2",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        });
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        HttpClient client = service.Client;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeysApi.AdminSecret);
        using PrometheusServer prometheus = await PrometheusServer.StartAsync(
            Path.Combine(_directory.Path, "prometheus"), service.Address, KeysApi.AdminSecret, StoredDatasets.RepositoryFile("docker/prometheus/rules.yml"));
        // Scraped with the key, and the target is up, before anything happens.
        await prometheus.WaitForValueAsync("up{job=\"linregservice\"}", 1, _scrapeLimit);

        // Three book runs succeed; one diverges; one long job is canceled while it runs.
        Job[] booked = [await client.SubmitAsync(), await client.SubmitAsync(), await client.SubmitAsync()];
        Job diverging = await client.SubmitAsync("""{"training":{"learningRate":30,"epochs":50}}""");
        Job slow = await client.SubmitAsync("""{"dataset":{"examples":200000},"training":{"epochs":10000}}""");
        // Two bad requests and one reused idempotency key are refused.
        using (HttpResponseMessage bad = await client.PostJsonAsync("""{"training":{"learningRate":-1}}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        using (HttpResponseMessage bad = await client.PostJsonAsync("""{"training":{"batchSize":0}}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        string keyed;
        using (HttpResponseMessage first = await client.PostJsonAsync("""{"training":{"epochs":2}}""", idempotencyKey: "mix-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            keyed = ApiJson.Read<Job>(await first.Content.ReadAsStringAsync()).Id;
        }
        using (HttpResponseMessage reused = await client.PostJsonAsync("""{"training":{"epochs":4}}""", idempotencyKey: "mix-1"))
        {
            Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        }
        await client.WaitForStatusAsync(slow.Id, JobStatus.Running, TimeSpan.FromSeconds(60));
        using (HttpResponseMessage cancel = await client.CancelAsync(slow.Id))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        Assert.Equal(JobStatus.Canceled, (await client.WaitForFinishAsync(slow.Id, TimeSpan.FromSeconds(60))).Status);
        Assert.Equal(JobStatus.Failed, (await client.WaitForFinishAsync(diverging.Id)).Status);
        foreach (Job job in booked)
        {
            Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(job.Id)).Status);
        }
        Assert.Equal(JobStatus.Succeeded, (await client.WaitForFinishAsync(keyed)).Status);

        // Every count is final once the last finish is scraped: everything else happened before it.
        await prometheus.WaitForValueAsync("sum(linreg_jobs_finished_total)", 6, _scrapeLimit);
        Assert.Equal(6, await prometheus.ValueAsync("sum(linreg_jobs_submitted_total{linreg_owner_role=\"admin\",linreg_submission_kind=\"job\"})"));
        Assert.Equal(6, await prometheus.ValueAsync("sum(linreg_jobs_started_total)"));
        Assert.Equal(4, await prometheus.ValueAsync("sum(linreg_jobs_finished_total{linreg_job_outcome=\"succeeded\"})"));
        Assert.Equal(1, await prometheus.ValueAsync("sum(linreg_jobs_finished_total{linreg_job_outcome=\"failed\",linreg_job_failure=\"diverged\"})"));
        Assert.Equal(1, await prometheus.ValueAsync("sum(linreg_jobs_finished_total{linreg_job_outcome=\"canceled\"})"));
        Assert.Equal(2, await prometheus.ValueAsync("sum(linreg_requests_rejected_total{linreg_rejection_reason=\"validation\"})"));
        Assert.Equal(1, await prometheus.ValueAsync("sum(linreg_requests_rejected_total{linreg_rejection_reason=\"conflict\"})"));
        Assert.Equal(3, await prometheus.ValueAsync("sum(linreg_requests_rejected_total)"));

        // The histograms: one time queued per job, one time running per attempt, by how it ended.
        Assert.Equal(6, await prometheus.ValueAsync("sum(linreg_job_queued_duration_seconds_count)"));
        Assert.Equal(6, await prometheus.ValueAsync("sum(linreg_job_queued_duration_seconds_bucket{le=\"+Inf\"})"));
        Assert.Equal(4, await prometheus.ValueAsync("sum(linreg_job_run_duration_seconds_count{linreg_attempt_outcome=\"succeeded\"})"));
        Assert.Equal(1, await prometheus.ValueAsync("sum(linreg_job_run_duration_seconds_count{linreg_attempt_outcome=\"failed\"})"));
        Assert.Equal(1, await prometheus.ValueAsync("sum(linreg_job_run_duration_seconds_count{linreg_attempt_outcome=\"canceled\"})"));
        // A book run takes milliseconds: well inside the buckets, not in the overflow. (Prometheus
        // scrapes OpenMetrics, whose bounds are written "10.0"; the plain text format writes "10".)
        Assert.Equal(4, await prometheus.ValueAsync("sum(linreg_job_run_duration_seconds_bucket{linreg_attempt_outcome=\"succeeded\",le=~\"10(\\\\.0)?\"})"));

        // Nothing lost a lease on one healthy replica; the queue is empty; epochs were counted.
        Assert.Equal(0, await prometheus.ValueAsync("sum(linreg_lease_lost_total)"));
        Assert.Equal(0, await prometheus.ValueAsync("sum(linreg_jobs_reclaimed_total)"));
        Assert.Equal(0, await prometheus.ValueAsync("max(linreg_queue_depth)"));
        Assert.Equal(2, await prometheus.ValueAsync("max(linreg_replica_workers)"));
        double epochs = await prometheus.ValueAsync("sum(linreg_training_epochs_total)") ?? 0;
        Assert.True(epochs >= (3 * 3) + 2, $"{epochs} epochs counted; the book runs and the keyed job alone trained 11");

        // The recording rules of docker/prometheus/rules.yml evaluate against the same series.
        await prometheus.WaitForValueAsync("linreg:queue_depth:max", 0, _scrapeLimit);
    }

    public void Dispose() => _directory.Dispose();
}
