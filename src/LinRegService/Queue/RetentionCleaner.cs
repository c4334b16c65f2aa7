using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>Removes finished jobs older than <c>Jobs:Retention</c>, every <c>Jobs:RetentionSweepInterval</c>.</summary>
internal sealed class RetentionCleaner(IJobStore store, IOptions<JobsOptions> options, TimeProvider clock, ILogger<RetentionCleaner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        JobsOptions settings = options.Value;
        using var timer = new PeriodicTimer(settings.RetentionSweepInterval, clock);
        do
        {
            try
            {
                int removed = await store.PurgeFinishedBeforeAsync(clock.GetUtcNow() - settings.Retention, stoppingToken);
                if (removed > 0)
                {
                    logger.Purged(removed, settings.Retention);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.PurgeFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
