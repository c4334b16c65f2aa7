using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;

namespace LinRegService.Jobs;

/// <summary>From the store's and the engine's types to the public contract.</summary>
internal static class JobMapping
{
    public static Job ToContract(this JobRecord record) => new()
    {
        Id = record.Id,
        Status = record.Status,
        CreatedAt = record.CreatedAt,
        StartedAt = record.StartedAt,
        FinishedAt = record.FinishedAt,
        Request = OptionDefaults.Fill(record.Request),
        Progress = new JobProgress(record.EpochLosses.Count, record.Result is { StoppedEarly: true } stopped ? stopped.EpochsRun : record.Request.Training?.Epochs ?? 0),
        EpochLosses = record.EpochLosses,
        Result = record.Result is { } result ? WithRunCounts(result, record.EpochLosses) : null,
        Samples = record.Samples,
        Error = record.ErrorMessage is { } message ? new JobError(message) : null,
        Attempts = record.Attempts,
        SweepId = record.SweepId,
    };

    public static JobResult ToContract(this RunResult result) => new()
    {
        Weights = result.Weights,
        Bias = result.Bias,
        WeightError = result.WeightError,
        BiasError = result.BiasError,
        ClosedForm = result.ClosedForm is { } optimum ? new ClosedFormResult(optimum.Weights, optimum.Bias, optimum.Loss) : null,
        ClosedFormNote = result.ClosedFormNote,
        ClosedFormDistance = result.ClosedFormDistance is { } d && float.IsFinite(d.Weights) && float.IsFinite(d.Bias) && double.IsFinite(d.Loss)
            ? new ClosedFormDistance(d.Weights, d.Bias, d.Loss)
            : null,
        Timings = new JobTimings(result.Timings.GenerateMs, result.Timings.TrainMs, result.Timings.ClosedFormMs),
        FinalSquaredLoss = result.FinalSquaredLoss,
        EpochsRun = result.EpochsRun,
        StoppedEarly = result.StoppedEarly,
    };

    /// <summary>
    /// A result stored before runs counted their epochs (0 run is impossible since): every such job
    /// trained all its epochs on the squared loss, so its last epoch loss is its final squared loss.
    /// </summary>
    internal static JobResult WithRunCounts(JobResult result, IReadOnlyList<double> losses) =>
        result.EpochsRun > 0 || losses.Count == 0 ? result : result with { EpochsRun = losses.Count, FinalSquaredLoss = losses[^1] };

    public static JobSamples ToSamples(this Dataset rows) => new(Rows(rows), rows.Labels);

    public static IReadOnlyList<IReadOnlyList<float>> Rows(Dataset rows)
    {
        var features = new float[rows.Examples][];
        for (int i = 0; i < rows.Examples; i++)
        {
            features[i] = rows.Row(i).ToArray();
        }
        return features;
    }

    /// <summary>The opaque list cursor: the sequence number to continue below, base64url-encoded.</summary>
    public static string EncodeCursor(long before) =>
        Convert.ToBase64String(BitConverter.GetBytes(before)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecodeCursor(string cursor, out long before)
    {
        before = 0;
        string padded = cursor.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        Span<byte> bytes = stackalloc byte[12];
        if (!Convert.TryFromBase64String(padded, bytes, out int written) || written != sizeof(long))
        {
            return false;
        }
        before = BitConverter.ToInt64(bytes[..sizeof(long)]);
        return before > 0;
    }
}
