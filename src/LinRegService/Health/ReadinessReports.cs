using LinRegService.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinRegService.Health;

/// <summary>The JSON writer of <c>/health/ready</c>: the framework's health report, each check's status and the queue check's data, as a <see cref="ReadinessReport"/>.</summary>
internal static class ReadinessReports
{
    public const string QueueCheck = "queue";

    public static ReadinessReport From(HealthReport report) => new(
        report.Status.ToString(),
        report.Entries.ToDictionary(e => e.Key, e => new HealthCheckReport(e.Value.Status.ToString(), e.Value.Description)),
        report.Entries.TryGetValue(QueueCheck, out HealthReportEntry queue) && queue.Data.Count > 0 ? Queue(queue.Data) : null);

    private static QueueReport Queue(IReadOnlyDictionary<string, object> data) => new(
        (int)data[QueueHealthCheck.Keys.Queued],
        (int)data[QueueHealthCheck.Keys.Running],
        (int)data[QueueHealthCheck.Keys.Workers],
        (int)data[QueueHealthCheck.Keys.MaxQueued],
        (double)data[QueueHealthCheck.Keys.Saturation]);
}
