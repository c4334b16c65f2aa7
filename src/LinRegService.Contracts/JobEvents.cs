namespace LinRegService.Contracts;

/// <summary>
/// The event names of <c>GET /api/jobs/{id}/events</c> (a <c>text/event-stream</c>): <c>status</c>
/// at once and on every status change (data: the <see cref="Job"/> without its samples),
/// <c>epoch</c> after every finished epoch (data: <see cref="EpochEvent"/>), then <c>done</c>
/// (data: <see cref="DoneEvent"/>), after which the stream ends.
/// </summary>
public static class JobEventNames
{
    /// <summary>The job's status changed (or the stream just began); data: the job without samples.</summary>
    public const string Status = "status";

    /// <summary>An epoch finished; data: <see cref="EpochEvent"/>.</summary>
    public const string Epoch = "epoch";

    /// <summary>The job reached a final status; data: <see cref="DoneEvent"/>. The stream ends after it.</summary>
    public const string Done = "done";
}

/// <summary>The data of an <c>epoch</c> event.</summary>
/// <param name="Epoch">The finished epoch, counting from 1 (a rerun after a crash counts from 1 again, after a <c>status</c> event).</param>
/// <param name="Loss">Mean (ŷ − y)²/2 over the whole dataset after that epoch.</param>
public sealed record EpochEvent(int Epoch, double Loss);

/// <summary>The data of the <c>done</c> event.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Status">Its final status: succeeded, failed or canceled.</param>
public sealed record DoneEvent(string Id, JobStatus Status);

/// <summary>One event of a job's stream as a client reads it: its name and the payload that name carries.</summary>
/// <param name="Name">One of <see cref="JobEventNames"/>.</param>
/// <param name="Job">The job (without samples), for <c>status</c>.</param>
/// <param name="Epoch">The finished epoch and its loss, for <c>epoch</c>.</param>
/// <param name="Done">The final status, for <c>done</c>.</param>
public sealed record JobEvent(string Name, Job? Job = null, EpochEvent? Epoch = null, DoneEvent? Done = null);
