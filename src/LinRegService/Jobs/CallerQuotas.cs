using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Keys;
using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Jobs;

/// <summary>
/// The quotas that bind the caller: its key's overrides over the <c>Quotas</c> settings. A call
/// without a key (<c>Auth:Mode</c> <c>None</c>, loopback only) is the machine's own user and has none.
/// </summary>
internal sealed class CallerQuotas(ICaller caller, IKeyStore keys, IOptions<QuotasOptions> defaults)
{
    /// <summary>What a call without a key is held to: nothing but the service's own limits.</summary>
    public static readonly ApiKeyQuotas Unlimited = new(int.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue);

    /// <summary>The caller's quotas; null without a key.</summary>
    public async Task<ApiKeyQuotas?> OfCallerAsync(CancellationToken cancellationToken)
    {
        if (caller.KeyId is not { } id)
        {
            return null;
        }
        ApiKeyRecord? key = await keys.GetAsync(id, cancellationToken);
        return defaults.Value.For(key?.Quotas ?? new ApiKeyQuotaOverrides());
    }

    /// <summary>The per-job quotas: a job over them is too large for this key however long it waits (413).</summary>
    public static SubmissionOutcome.OverQuota? TooLarge(ResolvedJob job, ApiKeyQuotas limits)
    {
        long values = (long)job.Source.Examples * job.Source.Features;
        if (values > limits.MaxJobValues)
        {
            return new SubmissionOutcome.OverQuota("maxJobValues", limits.MaxJobValues, values, SingleJob: true);
        }
        // Saturates rather than overflows: the engine's own limits keep it far below, but a quota check must not wrap.
        long work = values > long.MaxValue / Math.Max(1, job.Training.Epochs) ? long.MaxValue : values * job.Training.Epochs;
        return work > limits.MaxJobWork ? new SubmissionOutcome.OverQuota("maxJobWork", limits.MaxJobWork, work, SingleJob: true) : null;
    }

    /// <summary>
    /// A job whose own stored parts (request, warm start, samples: what the store counts) pass
    /// <c>maxStoredBytes</c> alone can never fit (413), however much the key deletes.
    /// </summary>
    public static SubmissionOutcome.OverQuota? TooLargeToStore(JobRecord record, ApiKeyQuotas limits) =>
        StoredBytesOf([record], limits.MaxStoredBytes) is var bytes && bytes > limits.MaxStoredBytes
            ? new SubmissionOutcome.OverQuota("maxStoredBytes", limits.MaxStoredBytes, bytes, SingleJob: true)
            : null;

    /// <summary>
    /// What the records store together, as the store measures it; serialized again only when a
    /// cheap upper bound says they could pass <paramref name="limit"/> (a float with its separators
    /// takes at most 20 characters), which the default quota never meets. Else the bound.
    /// </summary>
    public static long StoredBytesOf(IReadOnlyList<JobRecord> records, long limit)
    {
        long bound = records.Sum(record => (20 * ((record.Samples?.Labels.Count ?? 0) * (1L + SampleWidth(record))
            + (record.Request.Dataset?.Weights?.Length ?? 0) + (record.WarmStart?.Weights.Count ?? 0)
            + (record.Request.Dataset?.Outliers?.Rows?.Length ?? 0))) + 4096);
        return bound <= limit ? bound : records.Sum(record => (long)(StoreJson.Serialize(record.Request)?.Length ?? 0)
            + (StoreJson.Serialize(record.WarmStart)?.Length ?? 0) + (StoreJson.Serialize(record.Samples)?.Length ?? 0));
    }

    /// <summary>The samples' width: a stored dataset's request has no weights, its samples have its features.</summary>
    private static int SampleWidth(JobRecord record) =>
        record.Samples?.Features is [{ } first, ..] ? first.Count : record.Request.Dataset?.Weights?.Length ?? 0;
}
