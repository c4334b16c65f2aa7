namespace LinRegService.Jobs;

/// <summary>
/// What the job endpoints ask of whatever runs jobs (the queue's workers), so the application
/// depends on no part of the queue: wake an idle worker for new work, and stop a job this process
/// runs at its next step (other replicas hear a cancel through the store).
/// </summary>
public interface IJobRunner
{
    void WakeWorkers();

    void CancelRunning(string id);
}
