using LinRegService.Jobs;
using LinRegService.Queue;
using LinRegService.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LinRegService.Health;

/// <summary>
/// The queue's depth and saturation, as the check's data (<see cref="Keys"/>). A full queue is
/// Degraded, not Unhealthy: the service is still ready (the jobs already queued run), and a load
/// balancer must not take it out of rotation for being busy.
/// </summary>
internal sealed class QueueHealthCheck(IJobStore store, RunningJobs running, IOptions<JobsOptions> options) : IHealthCheck
{
    /// <summary>The names of the check's data.</summary>
    public static class Keys
    {
        public const string Queued = "queued";
        public const string Running = "running";
        public const string Workers = "workers";
        public const string MaxQueued = "maxQueued";
        public const string Saturation = "saturation";
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        JobsOptions settings = options.Value;
        int queued;
        try
        {
            queued = (await store.CountAsync(cancellationToken)).Queued;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The queue could not be counted: the job store did not answer.", error);
        }
        double saturation = (double)queued / settings.MaxQueued;
        var data = new Dictionary<string, object>
        {
            [Keys.Queued] = queued,
            [Keys.Running] = running.Count,
            [Keys.Workers] = settings.EffectiveWorkers,
            [Keys.MaxQueued] = settings.MaxQueued,
            [Keys.Saturation] = saturation,
        };
        string description = $"{queued} of {settings.MaxQueued} places in the queue taken; {running.Count} of {settings.EffectiveWorkers} workers busy.";
        return saturation >= 1
            ? HealthCheckResult.Degraded("The queue is full: " + description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
