using LinRegService.Auth;

namespace LinRegService.Datasets;

/// <summary>
/// The datasets the caller may see: a user key its own, an admin every dataset. Every dataset
/// endpoint reads through here, so another key's dataset is not found, exactly as a missing one.
/// </summary>
internal sealed class VisibleDatasets(IDatasetStore store, ICaller caller)
{
    public async Task<DatasetRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } dataset && caller.CanSee(dataset.Owner) ? dataset : null;

    /// <summary>An admin's list is every dataset, or <paramref name="owner"/>'s; a user key's is its own, whatever owner it names.</summary>
    public Task<DatasetPage> ListAsync(int limit, long? before, string? owner, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return store.ListAsync(limit, before, owner, cancellationToken);
        }
        return caller.KeyId is null || (owner is not null && owner != caller.KeyId)
            ? Task.FromResult(new DatasetPage([], null))
            : store.ListAsync(limit, before, caller.KeyId, cancellationToken);
    }
}
