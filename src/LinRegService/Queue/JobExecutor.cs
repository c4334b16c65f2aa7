using System.Collections.Concurrent;
using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>
/// Runs one claimed job on the engine and records how it ended: succeeded, failed (divergence,
/// time limit, any error), canceled by a user, or back to the queue when the service stops.
/// Epoch losses reach the store in small batches while training goes on. A job on a stored
/// dataset (<c>dataset.id</c>) has its rows loaded first, the lease renewed meanwhile; the load's
/// time is reported as <c>timings.generateMs</c> (the phase that makes the rows).
/// </summary>
internal sealed class JobExecutor(
    IJobStore store, IDatasetStore datasets, RunningJobs running, CompletionRate completions, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobExecutor> logger)
{
    /// <summary>A failure's reason when the cause is a fault of the service, not of the request.</summary>
    public const string InternalErrorMessage = "The job failed because of an internal error in the service; its log has the details under this job's id.";

    /// <summary>A failure's reason when training ended but a learned number (or its error) is not finite in float32.</summary>
    public const string NotFiniteMessage = "Training ended, but a learned weight, the bias or their errors are not finite float32 numbers; "
        + "try a smaller learning rate or values of a more moderate size.";

    private static readonly TimeSpan _progressFlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Renewals also carry cancels asked on other replicas, so they come at least this often.</summary>
    private static readonly TimeSpan _longestRenewInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(JobRecord record, Lease lease, CancellationToken stopping)
    {
        var scopeProperties = new Dictionary<string, object> { [LogProperties.JobId] = record.Id };
        if (record.SweepId is { } sweepId)
        {
            scopeProperties[LogProperties.SweepId] = sweepId;
        }
        using IDisposable? scope = logger.BeginScope(scopeProperties);
        RunningJob run = running.Start(record.Id, stopping);
        completions.Started();
        TimeSpan maxRuntime = TimeSpan.Zero;
        try
        {
            if (await ResolvedJob.FromRecordAsync(record, datasets, run.Token) is not { } job)
            {
                string gone = $"The dataset '{ResolvedJob.StoredDatasetId(record.Request)}' this job trains on has been deleted.";
                await store.FinishAsync(record.Id, JobStatus.Failed, null, gone, clock.GetUtcNow(), CancellationToken.None);
                logger.JobFailed(gone);
                return;
            }
            maxRuntime = job.MaxRuntime;
            run.LimitRuntime(job.MaxRuntime, clock);
            logger.JobStarted(record.Attempts);
            RunResult result = await TrainAsync(record.Id, job, run, lease);
            if (!IsFinite(result))
            {
                await store.FinishAsync(record.Id, JobStatus.Failed, null, NotFiniteMessage, clock.GetUtcNow(), CancellationToken.None);
                logger.JobFailed(NotFiniteMessage);
                return;
            }
            await store.FinishAsync(record.Id, JobStatus.Succeeded, result.ToContract(), null, clock.GetUtcNow(), CancellationToken.None);
            logger.JobSucceeded(result.EpochLosses[^1], result.Timings.GenerateMs, result.Timings.TrainMs);
        }
        catch (OperationCanceledException) when (run.LeaseLost)
        {
            logger.LeaseLost();
        }
        catch (OperationCanceledException) when (run.CanceledByUser)
        {
            await store.FinishAsync(record.Id, JobStatus.Canceled, null, null, clock.GetUtcNow(), CancellationToken.None);
            logger.JobCanceled();
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            string message = $"max runtime exceeded: the job ran longer than its limit of {maxRuntime.TotalSeconds} s.";
            await store.FinishAsync(record.Id, JobStatus.Failed, null, message, clock.GetUtcNow(), CancellationToken.None);
            logger.JobFailed(message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await store.RequeueAsync(record.Id, clock.GetUtcNow(), CancellationToken.None);
            logger.JobRequeued();
        }
        catch (TrainingDivergedException diverged)
        {
            await store.FinishAsync(record.Id, JobStatus.Failed, null, diverged.Message, clock.GetUtcNow(), CancellationToken.None);
            logger.JobFailed(diverged.Message);
        }
        catch (Exception error)
        {
            // The exception's own message is written for developers (and may name .NET types): the
            // log keeps it under the job's id, the job says what happened in words.
            logger.JobCrashed(error);
            await store.FinishAsync(record.Id, JobStatus.Failed, null, InternalErrorMessage, clock.GetUtcNow(), CancellationToken.None);
        }
        finally
        {
            running.Finish(record.Id);
            // Ended here, so its worker takes the next job and a queue place frees; not so when handed back.
            completions.Ended(completed: !run.LeaseLost && !stopping.IsCancellationRequested);
        }
    }

    /// <summary>
    /// Trains on a pool thread while this one writes the epoch losses reported so far and renews
    /// the job's lease, which also tells it of a cancel asked on another replica.
    /// </summary>
    private async Task<RunResult> TrainAsync(string id, ResolvedJob job, RunningJob run, Lease lease)
    {
        var reported = new ConcurrentQueue<double>();
        var progress = new QueueProgress(reported);
        CancellationToken token = run.Token;
        // A thread of its own (LongRunning): a training run holds its thread for minutes, and the
        // pool's threads must stay free for this loop's lease renewals and the HTTP requests.
        TrainingOptions engineOptions = job.Training with { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Task<RunResult> training = job.Source switch
        {
            DatasetSource.Stored stored => LoadAndTrainAsync(stored.Dataset, engineOptions, progress, token),
            _ => OnOwnThread(() => LinearRegressionRun.Execute(job.Spec!, engineOptions, options.Value.Limits, progress, token)),
        };
        TimeSpan renewEvery = TimeSpan.FromTicks(Math.Min(lease.Duration.Ticks / 3, _longestRenewInterval.Ticks));
        DateTimeOffset nextRenewal = clock.GetUtcNow() + renewEvery;
        int written = 0;
        while (!training.IsCompleted)
        {
            await Task.WhenAny(training, Task.Delay(_progressFlushInterval, clock, CancellationToken.None));
            written += await FlushAsync(id, reported, written);
            if (clock.GetUtcNow() >= nextRenewal && !training.IsCompleted)
            {
                await RenewAsync(id, run, lease);
                nextRenewal = clock.GetUtcNow() + renewEvery;
            }
        }
        RunResult result = await training;
        await FlushAsync(id, reported, written);
        return result;
    }

    /// <summary>The stored dataset's rows loaded (timed as the generate phase), then trained on without a truth.</summary>
    private async Task<RunResult> LoadAndTrainAsync(DatasetRecord dataset, TrainingOptions training, IProgress<EpochLoss> progress, CancellationToken token)
    {
        var loading = Stopwatch.StartNew();
        Dataset rows = await datasets.LoadAsync(dataset, token);
        double loadMs = loading.Elapsed.TotalMilliseconds;
        RunResult result = await OnOwnThread(() => LinearRegressionRun.Execute(rows, training, options.Value.Limits, truth: null, progress, token));
        return result with { Timings = result.Timings with { GenerateMs = loadMs } };
    }

    private static Task<RunResult> OnOwnThread(Func<RunResult> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task RenewAsync(string id, RunningJob run, Lease lease)
    {
        try
        {
            JobStatus? status = await store.RenewLeaseAsync(id, lease.Owner, clock.GetUtcNow() + lease.Duration, CancellationToken.None);
            if (status is null)
            {
                run.LoseLease();
            }
            else if (status == JobStatus.Canceling && !run.CanceledByUser)
            {
                logger.CanceledElsewhere();
                run.RequestCancel();
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The store is unreachable for now: keep training; if the lease lapses meanwhile,
            // another replica reruns the job, which gives the same result.
            logger.JobCrashed(error);
        }
    }

    private async Task<int> FlushAsync(string id, ConcurrentQueue<double> reported, int written)
    {
        var losses = new List<double>();
        while (reported.TryDequeue(out double loss))
        {
            losses.Add(loss);
        }
        if (losses.Count > 0)
        {
            await store.AppendLossesAsync(id, written + 1, losses, CancellationToken.None);
        }
        return losses.Count;
    }

    private static bool IsFinite(RunResult result) =>
        float.IsFinite(result.Bias) && (result.BiasError is not { } biasError || float.IsFinite(biasError))
        && Array.TrueForAll(result.Weights, float.IsFinite) && (result.WeightError is null || Array.TrueForAll(result.WeightError, float.IsFinite))
        && Array.TrueForAll(result.EpochLosses, double.IsFinite);

    /// <summary>Called on the training thread: only enqueues.</summary>
    private sealed class QueueProgress(ConcurrentQueue<double> queue) : IProgress<EpochLoss>
    {
        public void Report(EpochLoss value) => queue.Enqueue(value.Loss);
    }
}
