using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Storage;

namespace LinRegService.Jobs;

/// <summary>
/// The jobs the caller may see: a user key its own, an admin every job. Every job endpoint reads
/// through here, so another key's job is not found, exactly as a job that does not exist.
/// </summary>
internal sealed class VisibleJobs(IJobStore store, ICaller caller)
{
    public async Task<JobRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } job && caller.CanSee(job.Owner) ? job : null;

    /// <summary>As <see cref="FindAsync"/>, with the samples left out (an event stream never sends them).</summary>
    public async Task<JobRecord?> FindWithoutSamplesAsync(string id, CancellationToken cancellationToken) =>
        await store.GetWithoutSamplesAsync(id, cancellationToken) is { } job && caller.CanSee(job.Owner) ? job : null;

    /// <summary>An admin's list is every job, or <paramref name="owner"/>'s; a user key's is its own, whatever owner it names.</summary>
    public Task<JobPage> ListAsync(JobStatus? status, int limit, long? before, string? owner, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return store.ListAsync(status, limit, before, owner, cancellationToken);
        }
        return caller.KeyId is null || (owner is not null && owner != caller.KeyId)
            ? Task.FromResult(new JobPage([], null))
            : store.ListAsync(status, limit, before, caller.KeyId, cancellationToken);
    }
}
