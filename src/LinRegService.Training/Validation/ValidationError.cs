namespace LinRegService.Training.Validation;

/// <summary>One bad parameter: the request field it concerns (e.g. <c>training.batchSize</c>) and why.</summary>
public sealed record ValidationError(string Field, string Message);
