using LinRegService.Jobs;

namespace LinRegService.Queue;

/// <summary>The queue as the job endpoints see it (<see cref="IJobRunner"/>): its wake-up signal and this process's running jobs.</summary>
internal sealed class QueueRunner(JobSignal signal, RunningJobs running) : IJobRunner
{
    public void WakeWorkers() => signal.Notify();

    public void CancelRunning(string id) => running.RequestCancel(id);
}
