using LinRegService.Contracts;

namespace LinRegService.Client;

/// <summary>The sweep endpoints (<c>/api/sweeps</c>): a grid of ordinary jobs submitted, read, waited for, watched, listed, canceled and deleted together.</summary>
public partial interface ILinRegServiceClient
{
    /// <summary>
    /// Submits a sweep (<c>POST /api/sweeps</c>): one job per point of the grid, all queued or none,
    /// and returns it as queued, the base's seeds filled in.
    /// </summary>
    /// <param name="request">The base job request and the grid, e.g. <c>Grid = { ["training.learningRate"] = SweepRequest.Values(0.01, 0.1, 1) }</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LinRegServiceException">400 naming each bad grid field or value, 413 over a quota or <c>Sweeps:MaxJobs</c>, 429/503 with a retry delay.</exception>
    Task<Sweep> SubmitSweepAsync(SweepRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a sweep with every job's state (<c>GET /api/sweeps/{id}</c>); an unknown id throws with status 404.</summary>
    Task<Sweep> GetSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls the sweep until every job has ended (<see cref="SweepStatus.Finished"/> or
    /// <see cref="SweepStatus.Canceled"/>) and returns it; failed (diverged) jobs are in it, not thrown.
    /// </summary>
    /// <param name="id">The sweep's id.</param>
    /// <param name="timeout">How long to wait at most (<see cref="Timeout.InfiniteTimeSpan"/> for no limit); past it a <see cref="TimeoutException"/> is thrown.</param>
    /// <param name="pollInterval">The longest pause between two polls; the first pauses are shorter and double up to it. Default: <see cref="LinRegServiceClientOptions.MaxPollInterval"/>.</param>
    /// <param name="cancellationToken">Stops waiting with an <see cref="OperationCanceledException"/>; the sweep itself goes on (see <see cref="CancelSweepAsync"/>).</param>
    Task<Sweep> WaitSweepAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Follows <c>GET /api/sweeps/{id}/events</c>: a <c>sweep</c> event at once and on every status
    /// change of one of its jobs, an <c>epoch</c> event after every finished epoch of any job, then
    /// <c>done</c>, after which the enumeration ends. Events of a name this client does not know are skipped.
    /// </summary>
    /// <exception cref="LinRegServiceException">The sweep does not exist (404), too many streams are open (429) or the service refused.</exception>
    IAsyncEnumerable<SweepStreamEvent> WatchSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels every job of the sweep that has not ended (<c>POST /api/sweeps/{id}/cancel</c>) and
    /// returns the sweep; one whose jobs have all ended throws with status 409.
    /// </summary>
    Task<Sweep> CancelSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a sweep and its jobs (<c>DELETE /api/sweeps/{id}</c>); one with a job not yet ended throws with status 409.</summary>
    Task DeleteSweepAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every sweep, newest first, following the list's cursors page after page (<c>GET /api/sweeps</c>); items come without their jobs.</summary>
    /// <param name="pageSize">Sweeps per request (1–100; the service's default, 20, when null).</param>
    /// <param name="owner">An admin key only: the sweeps of this key id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<Sweep> ListSweepsAsync(int? pageSize = null, string? owner = null, CancellationToken cancellationToken = default);

    /// <summary>One page of the sweep list, for callers that keep the cursor themselves.</summary>
    /// <param name="limit">At most this many sweeps (1–100; 20 when null).</param>
    /// <param name="cursor">The <see cref="SweepList.Next"/> of the previous page; null for the first.</param>
    /// <param name="owner">An admin key only: the sweeps of this key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SweepList> ListSweepsPageAsync(int? limit = null, string? cursor = null, string? owner = null, CancellationToken cancellationToken = default);
}
