using System.Diagnostics.Metrics;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Telemetry;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>
/// The queue's gauges: jobs queued and running on every replica (read from the store, the same
/// on each), and this replica's running jobs and workers. A collection (a scrape) reads the store
/// at most once a second, with one short statement, so many scrapers cost one query.
/// </summary>
internal sealed class QueueGauges
{
    private static readonly TimeSpan _fresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _readLimit = TimeSpan.FromSeconds(2);

    private readonly IJobStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueGauges> _logger;
    private readonly Lock _gate = new();
    private QueueCounts? _counts;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public QueueGauges(IMeterFactory meters, IJobStore store, RunningJobs running, IOptions<JobsOptions> options, TimeProvider clock, ILogger<QueueGauges> logger)
    {
        _store = store;
        _clock = clock;
        _logger = logger;
        Meter meter = meters.Create(ServiceTelemetry.Name);
        meter.CreateObservableGauge<int>("linreg.queue.depth", () => Counts() is { } c ? [new Measurement<int>(c.Queued)] : [], "{job}",
            "Jobs queued, read from the store: the same on every replica.");
        meter.CreateObservableGauge<int>("linreg.jobs.running", () => Counts() is { } c ? [new Measurement<int>(c.Running)] : [], "{job}",
            "Jobs running or canceling on every replica, read from the store.");
        meter.CreateObservableGauge("linreg.replica.running_jobs", () => running.Count, "{job}", "Jobs running on this replica.");
        int workers = options.Value.EffectiveWorkers;
        meter.CreateObservableGauge("linreg.replica.workers", () => workers, "{worker}", "Workers of this replica: the most jobs it runs at once.");
    }

    /// <summary>
    /// The counts, re-read when older than a second. Collection callbacks are synchronous, so the
    /// read blocks its caller (a scrape) for one indexed count; a store that does not answer in
    /// time leaves the gauges out of that scrape rather than stall it.
    /// </summary>
    private QueueCounts? Counts()
    {
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            if (now - _readAt < _fresh)
            {
                return _counts;
            }
            try
            {
                using var timeout = new CancellationTokenSource(_readLimit, _clock);
                using (JobTracing.Untraced()) // a scrape is not a trace
                {
                    _counts = _store.CountAsync(timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception error)
            {
                _logger.QueueGaugesUnread(error);
                _counts = null;
            }
            _readAt = now;
            return _counts;
        }
    }
}
