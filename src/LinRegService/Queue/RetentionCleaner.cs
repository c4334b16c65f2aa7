using LinRegService.Datasets;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>
/// Removes finished jobs older than <c>Jobs:Retention</c>, and the chunks of uploads that died more
/// than <see cref="AbandonedUploadAge"/> ago (a process killed mid-upload), every <c>Jobs:RetentionSweepInterval</c>.
/// </summary>
internal sealed class RetentionCleaner(
    IJobStore store, IDatasetStore datasets, IOptions<JobsOptions> options, TimeProvider clock, ILogger<RetentionCleaner> logger) : BackgroundService
{
    /// <summary>An upload still writing chunks after this long is taken for dead: the largest allowed takes seconds.</summary>
    public static readonly TimeSpan AbandonedUploadAge = TimeSpan.FromHours(1);

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
                int chunks = await datasets.PurgeAbandonedUploadsAsync(clock.GetUtcNow() - AbandonedUploadAge, stoppingToken);
                if (chunks > 0)
                {
                    logger.PurgedUploads(chunks, AbandonedUploadAge);
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
