namespace LinRegService.Keys;

/// <summary>The API keys, in the job store's database (see <see cref="SqlKeyStore"/>). Keys are revoked, never deleted.</summary>
public interface IKeyStore
{
    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The key whose secret has this hash, revoked or not.</summary>
    Task<ApiKeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken);

    /// <summary>Every key, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    Task<RevokeOutcome> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a use, unless one was recorded less than <paramref name="interval"/> before <paramref name="now"/>.</summary>
    Task TouchAsync(string id, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the store agree with <c>Auth:AdminKey</c>: <paramref name="configured"/> (null when the setting is empty) is an
    /// active key, and every other key that came from the setting is revoked, so changing the setting retires the old secret.
    /// </summary>
    Task SyncConfiguredAdminAsync(ApiKeyRecord? configured, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="candidate"/> if no active admin key exists, atomically across replicas starting together;
    /// true when it was added (and its secret is to be shown).
    /// </summary>
    Task<bool> AddIfNoAdminAsync(ApiKeyRecord candidate, CancellationToken cancellationToken);
}
