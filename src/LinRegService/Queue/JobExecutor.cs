using System.Collections.Concurrent;
using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Telemetry;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>When a worker began and ended the claim that took a job: the attempt's span starts with it.</summary>
internal readonly record struct ClaimTimes(DateTime Started, DateTime Ended);

/// <summary>
/// Runs one claimed job on the engine and records how it ended: succeeded, failed (divergence,
/// time limit, any error), canceled by a user, or back to the queue when the service stops.
/// Epoch losses reach the store in small batches while training goes on. A job on a stored
/// dataset (<c>dataset.id</c>) has its rows loaded first, the lease renewed meanwhile; the load's
/// time is reported as <c>timings.generateMs</c> (the phase that makes the rows).
/// </summary>
internal sealed class JobExecutor(
    IJobStore store, IDatasetStore datasets, RunningJobs running, CompletionRate completions, JobMetrics metrics, IOptions<JobsOptions> options, TimeProvider clock,
    ILogger<JobExecutor> logger)
{
    /// <summary>A failure's reason when the cause is a fault of the service, not of the request.</summary>
    public const string InternalErrorMessage = "The job failed because of an internal error in the service; its log has the details under this job's id.";

    /// <summary>A failure's reason when training ended but a learned number (or its error) is not finite in float32.</summary>
    public const string NotFiniteMessage = "Training ended, but a learned weight, the bias or their errors are not finite float32 numbers; "
        + "try a smaller learning rate or values of a more moderate size.";

    private static readonly TimeSpan _progressFlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Renewals also carry cancels asked on other replicas, so they come at least this often.</summary>
    private static readonly TimeSpan _longestRenewInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(JobRecord record, Lease lease, ClaimTimes claim, CancellationToken stopping)
    {
        // The attempt's span continues the submission's trace (from any replica), so it and every log line below share its trace id.
        using Activity? attempt = JobTracing.StartAttempt(record, lease.Owner, claim.Started, claim.Ended);
        var scopeProperties = new Dictionary<string, object> { [LogProperties.JobId] = record.Id };
        if (record.SweepId is { } sweepId)
        {
            scopeProperties[LogProperties.SweepId] = sweepId;
        }
        using IDisposable? scope = logger.BeginScope(scopeProperties);
        RunningJob run = running.Start(record.Id, stopping);
        var flush = new Flush(record.Id, attempt is { IsAllDataRequested: true } ? [] : null);
        completions.Started();
        metrics.Started(record);
        long startedAt = clock.GetTimestamp();
        string outcome = "error"; // unless a case below says how it ended (the store failing while recording it)
        TimeSpan maxRuntime = TimeSpan.Zero;
        try
        {
            if (await ResolvedJob.FromRecordAsync(record, datasets, run.Token) is not { } job)
            {
                string gone = $"The dataset '{ResolvedJob.StoredDatasetId(record.Request)}' this job trains on has been deleted.";
                outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Failed, null, gone, "dataset_deleted");
                logger.JobFailed(gone);
                return;
            }
            maxRuntime = job.MaxRuntime;
            run.LimitRuntime(job.MaxRuntime, clock);
            logger.JobStarted(record.Attempts);
            flush.Examples = job.Source.Examples;
            RunResult result = await TrainAsync(job, run, lease, attempt, flush);
            if (!IsFinite(result))
            {
                outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Failed, null, NotFiniteMessage, "not_finite");
                logger.JobFailed(NotFiniteMessage);
                return;
            }
            outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Succeeded, result.ToContract(), null, null);
            logger.JobSucceeded(result.EpochLosses[^1], result.Timings.GenerateMs, result.Timings.TrainMs);
        }
        catch (OperationCanceledException) when (run.LeaseLost)
        {
            outcome = "lease_lost";
            logger.LeaseLost();
        }
        catch (OperationCanceledException) when (run.CanceledByUser)
        {
            outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Canceled, null, null, null);
            logger.JobCanceled();
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            string message = $"max runtime exceeded: the job ran longer than its limit of {maxRuntime.TotalSeconds} s.";
            outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Failed, null, message, "timeout");
            logger.JobFailed(message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // A cancel asked on another replica since the last renewal ends the job canceled, here.
            JobStatus? left = await store.RequeueAsync(record.Id, clock.GetUtcNow(), CancellationToken.None);
            if (left == JobStatus.Canceled)
            {
                metrics.Finished(JobStatus.Canceled, null, record.OwnerRole);
            }
            outcome = left switch { JobStatus.Canceled => "canceled", null => "lease_lost", _ => "requeued" };
            logger.JobRequeued();
        }
        catch (TrainingDivergedException diverged)
        {
            outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Failed, null, diverged.Message, "diverged");
            logger.JobFailed(diverged.Message);
        }
        catch (Exception error)
        {
            // The exception's own message is written for developers (and may name .NET types): the
            // log keeps it under the job's id, the job says what happened in words.
            logger.JobCrashed(error);
            outcome = await EndAsync(record, lease, attempt, flush, JobStatus.Failed, null, InternalErrorMessage, "error");
        }
        finally
        {
            Take(flush); // a lost lease or a requeue drops the losses not yet written (a rerun starts over), but they were trained
            running.Finish(record.Id);
            // Ended here, so its worker takes the next job and a queue place frees; not so when handed back.
            completions.Ended(completed: !run.LeaseLost && !stopping.IsCancellationRequested);
            metrics.AttemptEnded(outcome, clock.GetElapsedTime(startedAt));
            attempt?.SetTag(ServiceTelemetry.AttemptOutcome, outcome);
        }
    }

    /// <summary>
    /// Records the job's final status with the losses not yet written, in one transaction (in a span
    /// of its own), and counts it, unless another replica holds the job by now; answers the attempt's
    /// outcome for the run-time histogram.
    /// </summary>
    private async Task<string> EndAsync(JobRecord record, Lease lease, Activity? attempt, Flush flush, JobStatus status, JobResult? result, string? error, string? failure)
    {
        Take(flush);
        bool finished;
        using (ServiceTelemetry.Source.StartActivity("linreg.job.finish"))
        {
            finished = await store.FinishAsync(record.Id, status, result, error, clock.GetUtcNow(), flush.Written + 1, flush.Pending, lease.Owner, CancellationToken.None);
        }
        flush.Pending.Clear();
        if (!finished)
        {
            return "lease_lost";
        }
        metrics.Finished(status, failure, record.OwnerRole);
        if (status == JobStatus.Failed)
        {
            attempt?.SetStatus(ActivityStatusCode.Error, error);
            attempt?.SetTag(ServiceTelemetry.JobFailure, failure);
        }
        return JobStatusText.Of(status);
    }

    /// <summary>
    /// Trains on a pool thread while this one writes the epoch losses reported so far and renews
    /// the job's lease, which also tells it of a cancel asked on another replica.
    /// </summary>
    private async Task<RunResult> TrainAsync(ResolvedJob job, RunningJob run, Lease lease, Activity? attempt, Flush flush)
    {
        DateTime runStarted = DateTime.UtcNow;
        var progress = new QueueProgress(flush.Reported);
        CancellationToken token = run.Token;
        TrainingOptions engineOptions = job.Training with { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Task<RunResult> training = job.Source switch
        {
            DatasetSource.Stored stored => LoadAndTrainAsync(stored.Dataset, engineOptions, progress, token),
            _ when IsSmall(job.Spec!, job.Training) => Task.Run(() => LinearRegressionRun.Execute(job.Spec!, engineOptions, options.Value.Limits, progress, token), CancellationToken.None),
            _ => OnOwnThread(() => LinearRegressionRun.Execute(job.Spec!, engineOptions, options.Value.Limits, progress, token)),
        };
        TimeSpan renewEvery = TimeSpan.FromTicks(Math.Min(lease.Duration.Ticks / 3, _longestRenewInterval.Ticks));
        DateTimeOffset nextRenewal = clock.GetUtcNow() + renewEvery;
        // The losses of a run that ends before the next flush go with its finish, in one transaction.
        while (await Task.WhenAny(training, Task.Delay(_progressFlushInterval, clock, CancellationToken.None)) != training)
        {
            await FlushAsync(flush);
            if (clock.GetUtcNow() >= nextRenewal && !training.IsCompleted)
            {
                await RenewAsync(flush.JobId, run, lease);
                nextRenewal = clock.GetUtcNow() + renewEvery;
            }
        }
        Take(flush);
        try
        {
            RunResult result = await training;
            JobTracing.RecordPhases(attempt, runStarted, result.Timings, flush.Events ?? []);
            return result;
        }
        catch (Exception error)
        {
            JobTracing.RecordUnfinishedRun(attempt, runStarted, flush.Events ?? [], error);
            throw;
        }
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

    /// <summary>
    /// A thread of its own (LongRunning): a training run can hold its thread for minutes, and the
    /// pool's threads must stay free for the lease renewals and the HTTP requests.
    /// </summary>
    private static Task<RunResult> OnOwnThread(Func<RunResult> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// About a millisecond of work at most (the book's run is 2·10⁴ of these units): it runs on a pool
    /// thread, since starting a thread of its own costs more than the run and holds up the turnaround.
    /// </summary>
    private static bool IsSmall(DatasetSpec spec, TrainingOptions training) =>
        (long)spec.Examples * (spec.Features + 1L) * (training.Epochs + spec.Features + 1L) <= 1L << 20;

    private async Task RenewAsync(string id, RunningJob run, Lease lease)
    {
        try
        {
            JobStatus? status;
            using (JobTracing.Untraced())
            {
                status = await store.RenewLeaseAsync(id, lease.Owner, clock.GetUtcNow() + lease.Duration, CancellationToken.None);
            }
            metrics.Renewed(held: status is not null);
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

    /// <summary>Moves the losses reported so far to those pending a write, counts their epochs and rows, and keeps their span events.</summary>
    private void Take(Flush flush)
    {
        int taken = 0;
        while (flush.Reported.TryDequeue(out (double Loss, DateTime At) epoch))
        {
            flush.Pending.Add(epoch.Loss);
            taken++;
            if (flush.Events is { Count: < JobTracing.MaxEpochEvents } events)
            {
                events.Add(JobTracing.Epoch(flush.Written + flush.Pending.Count, epoch.Loss, epoch.At));
            }
        }
        if (taken > 0)
        {
            metrics.Trained(taken, (long)taken * flush.Examples);
        }
    }

    /// <summary>Writes the losses reported since the last flush, while the job runs (its pollers see them within 100 ms).</summary>
    private async Task FlushAsync(Flush flush)
    {
        Take(flush);
        if (flush.Pending.Count > 0)
        {
            using (JobTracing.Untraced())
            {
                await store.AppendLossesAsync(flush.JobId, flush.Written + 1, flush.Pending, CancellationToken.None);
            }
            flush.Written += flush.Pending.Count;
            flush.Pending.Clear();
        }
    }

    /// <summary>
    /// The epoch losses of one run: reported by the training thread, pending a write (taken from the
    /// queue, not yet in the store), and the count written so far.
    /// </summary>
    private sealed class Flush(string jobId, List<ActivityEvent>? events)
    {
        public string JobId { get; } = jobId;

        /// <summary>Rows per epoch, for the rows-trained counter; known once the job is resolved.</summary>
        public long Examples { get; set; }

        public ConcurrentQueue<(double Loss, DateTime At)> Reported { get; } = new();

        public List<double> Pending { get; } = [];

        public List<ActivityEvent>? Events { get; } = events;

        public int Written { get; set; }
    }

    private static bool IsFinite(RunResult result) =>
        float.IsFinite(result.Bias) && (result.BiasError is not { } biasError || float.IsFinite(biasError))
        && Array.TrueForAll(result.Weights, float.IsFinite) && (result.WeightError is null || Array.TrueForAll(result.WeightError, float.IsFinite))
        && Array.TrueForAll(result.EpochLosses, double.IsFinite);

    /// <summary>Called on the training thread: only enqueues.</summary>
    private sealed class QueueProgress(ConcurrentQueue<(double Loss, DateTime At)> queue) : IProgress<EpochLoss>
    {
        public void Report(EpochLoss value) => queue.Enqueue((value.Loss, DateTime.UtcNow));
    }
}
