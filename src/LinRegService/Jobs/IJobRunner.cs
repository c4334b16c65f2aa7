namespace LinRegService.Jobs;

/// <summary>
/// What the job endpoints ask of whatever runs jobs (the queue's workers), so the application
/// depends on no part of the queue: wake an idle worker for new work, stop a job this process
/// runs at its next step (other replicas hear a cancel through the store), and say when a place
/// in a full queue is likely to free.
/// </summary>
public interface IJobRunner
{
    void WakeWorkers();

    void CancelRunning(string id);

    /// <summary>The <c>Retry-After</c> of a full queue, from the recent completion rate: at least <paramref name="floorSeconds"/>, within [1, 3600].</summary>
    int RetryAfterSeconds(int floorSeconds);
}
