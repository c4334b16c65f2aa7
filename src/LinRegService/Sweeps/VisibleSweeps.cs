using System.Data.Common;
using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Storage;

using static LinRegService.Storage.StoreRows;

namespace LinRegService.Sweeps;

/// <summary>A job's epoch losses in brief: how many, and the last.</summary>
internal readonly record struct LossSummary(int Count, double Last);

/// <summary>A page of sweeps and the sequence number to continue below, if any.</summary>
internal sealed record SweepPage(IReadOnlyList<SweepRecord> Items, long? NextBefore);

/// <summary>
/// The sweeps the caller may see (a user key its own, an admin all; another key's sweep is not
/// found), read from the job store's database over its dialect. The sweep row is written with its
/// jobs by <see cref="IJobStore.AddSweepAsync"/>; everything else about a sweep is its jobs.
/// </summary>
internal sealed class VisibleSweeps(StoreDatabase database, ICaller caller)
{
    private const string SweepColumns = "seq, id, created_at, owner, request, job_count, request_hash";

    private SqlDialect Dialect => database.Dialect;

    public async Task<SweepRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"SELECT {SweepColumns} FROM sweeps WHERE id = @id;", ("id", id));
        SweepRecord? sweep = (await ReadSweepsAsync(command, cancellationToken)).SingleOrDefault();
        return sweep is not null && caller.CanSee(sweep.Owner) ? sweep : null;
    }

    /// <summary>The caller's sweep submitted with <paramref name="key"/> as its Idempotency-Key (keys are unique per owner).</summary>
    public async Task<SweepRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"SELECT {SweepColumns} FROM sweeps WHERE idempotency_key = @key;",
            ("key", ScopedKey(caller.KeyId, key)));
        return (await ReadSweepsAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Newest first; an admin's list is every sweep, or <paramref name="owner"/>'s; a user key's is its own.</summary>
    public async Task<SweepPage> ListAsync(int limit, long? before, string? owner, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            if (caller.KeyId is null || (owner is not null && owner != caller.KeyId))
            {
                return new SweepPage([], null);
            }
            owner = caller.KeyId;
        }
        await using DbConnection connection = await Dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"""
            SELECT {SweepColumns} FROM sweeps
            WHERE (CAST(@before AS bigint) IS NULL OR seq < CAST(@before AS bigint))
              AND (CAST(@owner AS text) IS NULL OR owner = CAST(@owner AS text))
            ORDER BY seq DESC LIMIT @take;
            """, ("before", before), ("owner", owner), ("take", limit + 1));
        List<SweepRecord> items = await ReadSweepsAsync(command, cancellationToken);
        return items.Count > limit ? new SweepPage(items[..limit], items[limit - 1].Sequence) : new SweepPage(items, null);
    }

    /// <summary>The sweep's jobs in grid order, without samples; with their epoch losses when asked.</summary>
    public async Task<List<JobRecord>> JobsAsync(string sweepId, bool withLosses, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, $"SELECT {ColumnsWithoutSamples} FROM jobs WHERE sweep_id = @id ORDER BY seq;", ("id", sweepId));
        return await ReadJobsAsync(connection, command, withLosses, cancellationToken);
    }

    /// <summary>
    /// Per job of the sweep that has losses: how many, and the last. What a sweep's answer needs of
    /// them, in one query, without reading 64 × 10,000 epochs to show 64 numbers.
    /// </summary>
    public async Task<Dictionary<string, LossSummary>> LossSummariesAsync(string sweepId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Dialect.OpenAsync(cancellationToken);
        await using DbCommand command = Command(connection, """
            SELECT s.job_id, s.n, e.loss
            FROM (SELECT job_id, count(*) AS n, max(epoch) AS last FROM epoch_losses
                  WHERE job_id IN (SELECT id FROM jobs WHERE sweep_id = @id) GROUP BY job_id) s
            JOIN epoch_losses e ON e.job_id = s.job_id AND e.epoch = s.last;
            """, ("id", sweepId));
        var summaries = new Dictionary<string, LossSummary>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries[reader.GetString(0)] = new LossSummary(Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetDouble(2));
        }
        return summaries;
    }

    /// <summary>The sweep as the contract shows it: its jobs without their losses, and each one's summary.</summary>
    public async Task<Sweep> ReadAsync(SweepRecord sweep, CancellationToken cancellationToken) =>
        sweep.ToContract(await JobsAsync(sweep.Id, withLosses: false, cancellationToken), await LossSummariesAsync(sweep.Id, cancellationToken));

    /// <summary>Removes the sweep's row (its jobs are deleted through the job store first, so caches forget them).</summary>
    public Task<int> DeleteRowAsync(string id, CancellationToken cancellationToken) =>
        Dialect.WriteAsync(connection => ExecuteAsync(connection, "DELETE FROM sweeps WHERE id = @id;", cancellationToken, ("id", id)), cancellationToken);

    private static Task<List<SweepRecord>> ReadSweepsAsync(DbCommand command, CancellationToken cancellationToken) =>
        RowsAsync(command, reader => new SweepRecord(
            reader.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            StoreJson.Deserialize<SweepRequest>(reader.GetString(4))!,
            reader.GetInt32(5))
        { Sequence = reader.GetInt64(0), RequestHash = reader.IsDBNull(6) ? null : reader.GetString(6) }, cancellationToken);
}
