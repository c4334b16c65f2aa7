namespace LinRegService.Datasets;

/// <summary>Why an upload was refused: a 400 (bad CSV, the field it concerns) or a 413 (the limit it passed).</summary>
internal sealed class DatasetUploadException : Exception
{
    private DatasetUploadException(int status, string field, string message, string? limit, long? limitValue) : base(message)
    {
        Status = status;
        Field = field;
        Limit = limit;
        LimitValue = limitValue;
    }

    public int Status { get; }

    /// <summary>The request part the problem is in: <c>body</c> or <c>label</c>.</summary>
    public string Field { get; }

    /// <summary>For a 413, the setting or quota passed, e.g. <c>Datasets:MaxRows</c> or <c>maxDatasetBytes</c>.</summary>
    public string? Limit { get; }

    public long? LimitValue { get; }

    public static DatasetUploadException BadCsv(string message, string field = "body") => new(StatusCodes.Status400BadRequest, field, message, null, null);

    public static DatasetUploadException OverLimit(string limit, long value, string message) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", message, limit, value);
}
