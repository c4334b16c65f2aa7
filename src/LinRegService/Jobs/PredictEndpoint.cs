using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Training.Prediction;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinRegService.Jobs;

/// <summary><c>POST /api/jobs/{id}/predict</c>: ŷ = x·w + b for rows of features, with a succeeded job's learned model.</summary>
internal static class PredictEndpoint
{
    public static IEndpointRouteBuilder MapJobPredict(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/jobs").WithTags("Jobs")
            .MapPost("{id}/predict", PredictAsync)
            .WithName("PredictJob")
            .WithSummary("Predict with a job's learned model")
            .WithDescription("ŷ = x·w + b for each row of `features`, with the job's learned `w` and `b`, in the rows' order. "
                + "Only a succeeded job can predict (409 otherwise). Each row needs one finite value per feature; "
                + "at most `Jobs:MaxPredictRows` rows (10,000 by default). A bad row, or one whose prediction overflows float32, "
                + "is a 400 naming it (`features[3]`).")
            .Accepts<PredictRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        string id,
        [FromBody] PredictRequest? request,
        VisibleJobs jobs,
        IOptions<JobsOptions> options,
        CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(id, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        if (job.Status != JobStatus.Succeeded || job.Result is not { } model)
        {
            return Problems.Conflict("The job has no model to predict with",
                $"Job '{id}' is {JobStatusText.Of(job.Status)}; only a succeeded job has learned weights to predict with.");
        }
        float[] weights = [.. model.Weights];
        (float[]? rows, Dictionary<string, string[]> errors) = PredictionInput.Read(request?.Features, weights.Length, options.Value.MaxPredictRows);
        if (rows is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        float[] predictions = new float[rows.Length / weights.Length];
        LinearPrediction.Predict(rows, weights, model.Bias, predictions);
        Dictionary<string, string[]> overflows = PredictionInput.NonFinite(predictions);
        return overflows.Count > 0 ? TypedResults.ValidationProblem(overflows) : TypedResults.Ok(new PredictResponse(predictions));
    }
}
