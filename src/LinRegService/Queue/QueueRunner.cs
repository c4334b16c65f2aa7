using LinRegService.Jobs;

namespace LinRegService.Queue;

/// <summary>The queue as the job endpoints see it (<see cref="IJobRunner"/>): its wake-up signal, this process's running jobs and their completion rate.</summary>
internal sealed class QueueRunner(JobSignal signal, RunningJobs running, CompletionRate completions) : IJobRunner
{
    public void WakeWorkers() => signal.Notify();

    public void CancelRunning(string id) => running.RequestCancel(id);

    public int RetryAfterSeconds(int floorSeconds) => completions.RetryAfterSeconds(floorSeconds);
}
