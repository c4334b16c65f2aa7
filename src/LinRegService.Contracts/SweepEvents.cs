namespace LinRegService.Contracts;

/// <summary>
/// The event names of <c>GET /api/sweeps/{id}/events</c> (a <c>text/event-stream</c>): <c>sweep</c>
/// at once and whenever one of its jobs changes status (data: the <see cref="Sweep"/>),
/// <c>epoch</c> after every finished epoch of any of its jobs (data: <see cref="SweepEpochEvent"/>),
/// then <c>done</c> (data: <see cref="SweepDoneEvent"/>) once every job has ended, after which the stream ends.
/// </summary>
public static class SweepEventNames
{
    /// <summary>A job of the sweep changed status (or the stream just began); data: the sweep.</summary>
    public const string Sweep = "sweep";

    /// <summary>A job of the sweep finished an epoch; data: <see cref="SweepEpochEvent"/>.</summary>
    public const string Epoch = "epoch";

    /// <summary>Every job of the sweep has ended; data: <see cref="SweepDoneEvent"/>. The stream ends after it.</summary>
    public const string Done = "done";
}

/// <summary>The data of a sweep stream's <c>done</c> event.</summary>
/// <param name="Id">The sweep's id.</param>
/// <param name="Status">Its final status: finished or canceled.</param>
public sealed record SweepDoneEvent(string Id, SweepStatus Status);

/// <summary>One event of a sweep's stream as a client reads it: its name and the payload that name carries.</summary>
/// <param name="Name">One of <see cref="SweepEventNames"/>.</param>
/// <param name="Sweep">The sweep with every job's state, for <c>sweep</c>.</param>
/// <param name="Epoch">The job, its finished epoch and its loss, for <c>epoch</c>.</param>
/// <param name="Done">The sweep's final status, for <c>done</c>.</param>
public sealed record SweepStreamEvent(string Name, Sweep? Sweep = null, SweepEpochEvent? Epoch = null, SweepDoneEvent? Done = null);
