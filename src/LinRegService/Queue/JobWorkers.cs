using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Telemetry;
using LinRegService.Training.Runs;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>
/// The worker pool: at start, jobs a crash left running go back to the queue; then each worker
/// claims the oldest queued job when its estimated memory fits the budget beside the jobs running
/// here (<see cref="MemoryAdmission"/>), runs it in a DI scope of its own, and sleeps on the signal
/// when there is nothing it may claim. A failing job never stops a worker.
/// </summary>
internal sealed class JobWorkers(
    IJobStore store,
    JobSignal signal,
    MemoryAdmission memory,
    IServiceScopeFactory scopes,
    ReplicaIdentity replica,
    JobMetrics metrics,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobWorkers> logger) : BackgroundService
{
    private int _activeWorkers;

    /// <summary>Workers whose loop is running.</summary>
    public int ActiveWorkers => Volatile.Read(ref _activeWorkers);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        JobsOptions settings = options.Value;
        if (!store.IsShared)
        {
            // This process owns the store: whatever is marked running was left by a crash. A shared
            // store instead lets the leases of a dead replica's jobs lapse, and claims them again.
            RecoveryReport recovered = await store.RecoverAsync(settings.MaxAttempts, clock.GetUtcNow(), stoppingToken);
            if (recovered != new RecoveryReport(0, 0, 0))
            {
                // The requeued ones count as reclaimed when claimed; these ended here.
                metrics.Settled([.. Enumerable.Repeat(new SettledJob(JobStatus.Failed, null), recovered.Failed),
                    .. Enumerable.Repeat(new SettledJob(JobStatus.Canceled, null), recovered.Canceled)]);
                logger.Recovered(recovered.Requeued, recovered.Failed, settings.MaxAttempts, recovered.Canceled);
            }
        }
        logger.WorkersStarting(settings.EffectiveWorkers);
        ReserveThreadPool(settings.EffectiveWorkers);
        await Task.WhenAll(Enumerable.Range(0, settings.EffectiveWorkers).Select(_ => Task.Run(() => WorkAsync(settings, stoppingToken), CancellationToken.None)));
    }

    private async Task WorkAsync(JobsOptions settings, CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref _activeWorkers);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTime claimStarted = DateTime.UtcNow;
                (ClaimResult? claim, MemoryAdmission.Reservation? reservation) = await ClaimAsync(settings, stoppingToken);
                JobRecord? job = claim?.Job;
                if (job is null)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }
                try
                {
                    await using AsyncServiceScope scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<JobExecutor>().RunAsync(
                        job, LeaseFor(settings), new ClaimTimes(claimStarted, DateTime.UtcNow), stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Even recording the outcome failed (the store is unreachable): the worker lives
                    // on, and the job's lease lapses so that it runs again.
                    logger.JobCrashed(error);
                    await Task.Delay(settings.PollInterval, clock, stoppingToken);
                }
                finally
                {
                    reservation?.Dispose();
                    signal.Notify(); // memory freed: a job that did not fit may fit now
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            Interlocked.Decrement(ref _activeWorkers);
        }
    }

    /// <summary>
    /// Every running job keeps pool threads busy with its parallel passes (scatter, loss, shuffles)
    /// for milliseconds at a time. The pool's default minimum (one thread per core) then adds
    /// threads only slowly, and lease renewals, cancels and HTTP requests would queue behind the
    /// training for seconds; a few threads more per worker keep them prompt.
    /// </summary>
    private static void ReserveThreadPool(int workers)
    {
        ThreadPool.GetMinThreads(out int workerThreads, out int completionPortThreads);
        int wanted = Environment.ProcessorCount + (4 * workers) + 4;
        if (workerThreads < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPortThreads);
        }
    }

    private Lease LeaseFor(JobsOptions settings) =>
        new(replica.Name, TimeSpan.FromSeconds(settings.LeaseSeconds), settings.MaxAttempts);

    /// <summary>The oldest job, if its estimated memory fits what this process's running jobs leave of the budget.</summary>
    private async Task<(ClaimResult? Claim, MemoryAdmission.Reservation? Reservation)> ClaimAsync(JobsOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            return await memory.ClaimAsync(
                async room =>
                {
                    DateTimeOffset now = clock.GetUtcNow();
                    ClaimResult claim;
                    // An idle worker claims every poll: no trace of its own for each of those statements.
                    using (JobTracing.Untraced())
                    {
                        claim = await store.ClaimAsync(now, LeaseFor(settings) with { MemoryRoom = room }, stoppingToken);
                    }
                    metrics.Claimed(claim, now);
                    return claim.Job is null ? null : claim;
                },
                claim => claim.Job!.PeakBytes > 0 ? claim.Job.PeakBytes : EstimatePeakBytes(claim.Job, settings),
                stoppingToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.ClaimFailed(error, settings.PollInterval);
            await Task.Delay(settings.PollInterval, clock, stoppingToken);
            return (null, null);
        }
    }

    /// <summary>
    /// A job stored before estimates: estimated now from its request. Jobs on stored datasets came
    /// after the estimates and always have one; should one lack it, it is let in without a reservation.
    /// </summary>
    private static long EstimatePeakBytes(JobRecord job, JobsOptions settings) =>
        ResolvedJob.StoredDatasetId(job.Request) is null ? ResolvedJob.FromRecord(job).EstimatePeakBytes(settings.Limits) : 0;
}
