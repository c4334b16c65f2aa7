namespace LinRegService.Contracts;

/// <summary>The body of <c>POST /api/jobs/{id}/predict</c>: rows of features to run through a succeeded job's model.</summary>
public sealed record PredictRequest
{
    /// <summary>
    /// One array per row, each with as many values as the job has features (its weights), every
    /// value a finite float32; at least one row and at most the service's <c>Jobs:MaxPredictRows</c> (10,000 by default).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<float>> Features { get; init; } = [];
}

/// <summary>The answer of <c>POST /api/jobs/{id}/predict</c>.</summary>
/// <param name="Predictions">ŷ = x·w + b for each row, in the order of the request's rows, with the job's learned <c>w</c> and <c>b</c>.</param>
public sealed record PredictResponse(IReadOnlyList<float> Predictions);
