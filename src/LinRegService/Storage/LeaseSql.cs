namespace LinRegService.Storage;

/// <summary>
/// The lease statements both engines share (their parameters are named with <c>$</c>, which
/// SQLite takes as is and the PostgreSQL store rewrites to <c>@</c>).
/// </summary>
internal static class LeaseSql
{
    /// <summary>Which jobs a worker may claim: queued ones, and running ones whose replica stopped renewing.</summary>
    public const string Claimable = "status = 'queued' OR (status = 'running' AND lease_until < $now)";

    /// <summary>Lapsed jobs that must not run again: canceling ones end canceled, those out of attempts fail.</summary>
    public const string EndLapsed = """
        UPDATE jobs SET
            status = CASE status WHEN 'canceling' THEN 'canceled' ELSE 'failed' END,
            error = CASE status WHEN 'canceling' THEN error
                ELSE 'The job was interrupted ' || attempts || ' times (the service running it stopped); it is not retried again.' END,
            finished_at = $now, lease_owner = NULL, lease_until = NULL
        WHERE status IN ('running', 'canceling') AND lease_until < $now AND (status = 'canceling' OR attempts >= $max);
        """;

    /// <summary>Extends a lease its owner still holds, returning the status (a cancel asked on another replica shows as canceling).</summary>
    public const string Renew = """
        UPDATE jobs SET lease_until = $until
        WHERE id = $id AND lease_owner = $owner AND status IN ('running', 'canceling')
        RETURNING status;
        """;
}
