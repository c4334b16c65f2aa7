using LinRegService.Contracts;

namespace LinRegService.Client;

/// <summary>
/// The LinRegService job and sweep API (<c>/api/jobs</c>, <c>/api/sweeps</c>) for .NET callers, in the contract's own types.
/// Register it with <see cref="LinRegServiceClientExtensions.AddLinRegServiceClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Uri)"/>.
/// </summary>
/// <remarks>
/// Every answer other than a success throws <see cref="LinRegServiceException"/> carrying the
/// status and the problem details (404 for an unknown job included, so a missing job is never
/// mistaken for an empty one); transport failures throw <see cref="HttpRequestException"/> as
/// <see cref="HttpClient"/> does.
/// </remarks>
public partial interface ILinRegServiceClient
{
    /// <summary>Submits a job (<c>POST /api/jobs</c>) and returns it as queued, seeds filled in.</summary>
    /// <param name="request">The job; <c>new JobRequest()</c> runs the book's example.</param>
    /// <param name="idempotencyKey">
    /// Sent as <c>Idempotency-Key</c> (1 to 200 characters): a retry with the same key and request
    /// returns the original job instead of queuing another; with another request it is a 409.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Job> SubmitAsync(JobRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a job (<c>GET /api/jobs/{id}</c>); an unknown id throws with status 404.</summary>
    Task<Job> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls the job until it is finished (succeeded, failed or canceled) and returns it; a failed
    /// or canceled job is returned, not thrown: look at its <see cref="Job.Status"/>.
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="timeout">How long to wait at most (<see cref="Timeout.InfiniteTimeSpan"/> for no limit); past it a <see cref="TimeoutException"/> is thrown.</param>
    /// <param name="pollInterval">The longest pause between two polls; the first pauses are shorter and double up to it. Default: <see cref="LinRegServiceClientOptions.MaxPollInterval"/>.</param>
    /// <param name="cancellationToken">Stops waiting with an <see cref="OperationCanceledException"/>; the job itself goes on (see <see cref="CancelAsync"/>).</param>
    Task<Job> WaitAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Follows <c>GET /api/jobs/{id}/events</c>: a <c>status</c> event at once and on every status
    /// change it sees, an <c>epoch</c> event after every finished epoch, then <c>done</c>, after which
    /// the enumeration ends. No polling: the service pushes each event as it happens. Events of a
    /// name this client does not know (a newer service) are skipped.
    /// </summary>
    /// <exception cref="LinRegServiceException">The job does not exist (404) or the service refused.</exception>
    IAsyncEnumerable<JobEvent> WatchAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a job (<c>POST /api/jobs/{id}/cancel</c>) and returns it: <c>canceled</c> if it was
    /// queued, <c>canceling</c> while a running one stops. A finished job throws with status 409.
    /// </summary>
    Task<Job> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished job (<c>DELETE /api/jobs/{id}</c>); a queued or running one throws with status 409.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every job, newest first, following the list's cursors page after page (<c>GET /api/jobs</c>).</summary>
    /// <param name="status">Only jobs with this status.</param>
    /// <param name="pageSize">Jobs per request (1–100; the service's default, 20, when null).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<Job> ListAsync(JobStatus? status = null, int? pageSize = null, CancellationToken cancellationToken = default);

    /// <summary>One page of the job list, for callers that keep the cursor themselves.</summary>
    /// <param name="status">Only jobs with this status.</param>
    /// <param name="limit">At most this many jobs (1–100; 20 when null).</param>
    /// <param name="cursor">The <see cref="JobList.Next"/> of the previous page; null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<JobList> ListPageAsync(JobStatus? status = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>Rows [offset, offset + count) of the job's dataset, regenerated from its seed (<c>GET /api/jobs/{id}/samples</c>).</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="offset">The first row (0 to examples − 1).</param>
    /// <param name="count">Rows wanted (1 to the service's maximum, 1000 by default; 10 when null); cut at the last row.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SamplesPage> GetSamplesAsync(string id, int offset = 0, int? count = null, CancellationToken cancellationToken = default);

    /// <summary>The job's whole dataset, page after page of <paramref name="pageSize"/> rows.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="pageSize">Rows per request (1 to the service's maximum, 1000 by default).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<SamplesPage> GetSamplePagesAsync(string id, int pageSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Predictions of a succeeded job's learned model (<c>POST /api/jobs/{id}/predict</c>): x·w + b
    /// for each row, in the rows' order.
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <param name="features">One row per prediction, each with one finite value per feature of the job; 1 to the service's maximum rows (10,000 by default).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LinRegServiceException">
    /// 404 for an unknown job, 409 for a job that has not succeeded, 400 for a bad row (its
    /// <see cref="LinRegServiceException.Errors"/> name it, e.g. <c>features[3]</c>) or too many rows.
    /// </exception>
    Task<PredictResponse> PredictAsync(string id, IReadOnlyList<IReadOnlyList<float>> features, CancellationToken cancellationToken = default);
}
