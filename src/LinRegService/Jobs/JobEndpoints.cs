using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Hosting;
using LinRegService.Queue;
using LinRegService.RateLimits;
using LinRegService.Storage;
using LinRegService.Telemetry;
using LinRegService.Training.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinRegService.Jobs;

/// <summary>The <c>/api/jobs</c> endpoints: submit, read, list, cancel, delete, samples.</summary>
internal static class JobEndpoints
{
    // Internal so that the OpenAPI document states the same limits (OpenApi/ParameterLimitsFilter.cs).
    internal const int DefaultListLimit = 20;
    internal const int MaxListLimit = 100;
    internal const int DefaultSampleRows = 10;

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder jobs = app.MapGroup("/api/jobs").WithTags("Jobs");

        jobs.MapPost("", SubmitAsync)
            .WithName("SubmitJob")
            .WithSummary("Submit a training job")
            .WithDescription("Queues a job that generates the dataset y = Xw + b + ε and trains it by minibatch SGD. "
                + "Every field may be left out; `{}` runs the book's example. Seeds left out are drawn and returned in `request`. "
                + "An `Idempotency-Key` header makes a retried submission return the original job. "
                + "A job whose run would need more memory than `Jobs:MaxJobBytes` is a 413 naming its estimate and the limit. "
                + "A key's quotas: a job over `maxJobValues` or `maxJobWork` is a 413, a key at `maxActiveJobs` or `maxStoredBytes` a 429; "
                + "both name the quota, its limit and the use (`quota`, `limit`, `used`).")
            .Accepts<JobRequest>("application/json")
            .CountsAsSubmission()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        jobs.MapGet("{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Read a job")
            .WithDescription("Status, progress, per-epoch losses (growing while it runs), the result once it succeeds, and the dataset's first rows.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first")
            .WithDescription("Filter by `status` (applied before the limit), at most `limit` (1–100, default 20) per page; pass `next` back as `cursor` for the following page. "
                + "Items leave out `samples` (null): `GET /api/jobs/{id}` has them. "
                + "A user key sees its own jobs; an admin key sees every job, or with `owner` those of one key id.");

        jobs.MapPost("{id}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a job")
            .WithDescription("A queued job is canceled at once; a running one becomes `canceling` and stops at its next training step. A finished job cannot be canceled (409).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapDelete("{id}", DeleteAsync)
            .WithName("DeleteJob")
            .WithSummary("Delete a finished job")
            .WithDescription("Removes a succeeded, failed or canceled job. A queued or running job cannot be deleted (409): cancel it first.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapGet("{id}/samples", SamplesAsync)
            .WithName("GetJobSamples")
            .WithSummary("Rows of a job's dataset")
            .WithDescription("Rows [offset, offset + count) regenerated from the job's seed (count 1–1000, default 10), or read from the stored dataset "
                + "for a job on one (`dataset.id`), identical to the job's `samples` where they overlap. 409 when the job's stored dataset has been deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<Results<Accepted<Job>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [FromBody] JobRequest request,
        [FromHeader(Name = IdempotencyKeys.Header)] string[]? idempotencyKeys,
        JobSubmissions submissions,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        // A JSON null body binds as null despite the signature; {} is the book's run, null is not.
        if (request is null)
        {
            return Problems.BadField("body", "The request body must be a JSON object; send {} for the book's run.");
        }
        if (idempotencyKeys is { Length: > 0 } && IdempotencyKeys.Check(idempotencyKeys) is { } keyError)
        {
            return Problems.BadField(IdempotencyKeys.Header, keyError);
        }
        switch (await submissions.SubmitAsync(request, idempotencyKeys?.FirstOrDefault(), cancellationToken))
        {
            case SubmissionOutcome.Accepted(JobRecord job):
                return TypedResults.Accepted($"/api/jobs/{job.Id}", job.ToContract());
            case SubmissionOutcome.Invalid(Dictionary<string, string[]> errors):
                return TypedResults.ValidationProblem(errors);
            case var refused:
                return Refusal(refused, response);
        }
    }

    /// <summary>The problem answer of a submission that was not accepted (but for bad fields), shared with sweeps.</summary>
    internal static ProblemHttpResult Refusal(SubmissionOutcome outcome, HttpResponse response)
    {
        switch (outcome)
        {
            case SubmissionOutcome.Conflict(string title, var detail, var errors):
                return Problems.Conflict(title, detail, errors);
            case SubmissionOutcome.TooLarge(long estimated, long limit):
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "The job needs too much memory",
                    detail: $"Its run needs an estimated {estimated} bytes ({Mebibytes(estimated)}) of memory; at most {limit} bytes ({Mebibytes(limit)}) "
                        + "are allowed for one job (Jobs:MaxJobBytes). Ask for fewer examples or features.",
                    extensions: new Dictionary<string, object?> { ["estimatedBytes"] = estimated, ["maxJobBytes"] = limit });
            case SubmissionOutcome.OverQuota over:
                if (!over.SingleJob)
                {
                    // The queue's estimate: an active job ends (or a finished one is deleted) at about that pace.
                    response.Headers.RetryAfter = over.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return Problems.OverQuota(over);
            case SubmissionOutcome.QueueFull(int maxQueued, int retryAfter):
                response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The queue is full",
                    detail: $"{maxQueued} jobs are already waiting. Retry after {retryAfter} s.",
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfter });
            case var other:
                throw new InvalidOperationException($"Unknown submission outcome {other}.");
        }
    }

    private static string Mebibytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MiB";

    private static async Task<Results<Ok<Job>, ProblemHttpResult>> GetAsync(string id, VisibleJobs jobs, CancellationToken cancellationToken) =>
        await jobs.FindAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job.ToContract()) : Problems.NotFound(id);

    private static async Task<Results<Ok<JobList>, ValidationProblem>> ListAsync(
        string? status, int? limit, string? cursor, string? owner, VisibleJobs jobs, CancellationToken cancellationToken)
    {
        // The contract's lower-case words ("succeeded"); binding the enum directly accepts only "Succeeded" or numbers.
        // An empty value (?status=&limit=) means "not given", as the README writes the query.
        JobStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!JobStatusText.TryParse(status.ToLowerInvariant(), out JobStatus parsed))
            {
                return Problems.BadField("status", $"status must be one of queued, running, canceling, succeeded, failed, canceled; got '{status}'.");
            }
            filter = parsed;
        }
        (int take, long? before, ValidationProblem? problem) = ListPaging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }
        JobPage page = await jobs.ListAsync(filter, take, before, string.IsNullOrEmpty(owner) ? null : owner, cancellationToken);
        return TypedResults.Ok(new JobList(
            [.. page.Items.Select(j => j.ToContract())],
            ListPaging.Next(page.NextBefore)));
    }

    private static async Task<Results<Accepted<Job>, ProblemHttpResult>> CancelAsync(
        string id, VisibleJobs jobs, IJobStore store, IJobRunner runner, JobMetrics metrics, TimeProvider clock, CancellationToken cancellationToken)
    {
        // A job's owner never changes, so a job seen here stays the caller's while it is canceled.
        if (await jobs.FindAsync(id, cancellationToken) is not { } seen)
        {
            return Problems.NotFound(id);
        }
        (TransitionOutcome outcome, JobStatus? status) = await store.CancelAsync(id, clock.GetUtcNow(), cancellationToken);
        switch (outcome)
        {
            case TransitionOutcome.NotFound:
                return Problems.NotFound(id);
            case TransitionOutcome.Conflict:
                return Problems.Conflict("The job cannot be canceled", $"Job '{id}' has already finished ({JobStatusText.Of(status!.Value)}).");
        }
        if (status == JobStatus.Canceled)
        {
            metrics.Finished(JobStatus.Canceled, null, seen.OwnerRole); // a queued job ends here; a running one where it runs
        }
        if (status == JobStatus.Canceling)
        {
            runner.CancelRunning(id);
        }
        JobRecord? job = await store.GetAsync(id, cancellationToken);
        return job is null ? Problems.NotFound(id) : TypedResults.Accepted($"/api/jobs/{id}", job.ToContract());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, VisibleJobs jobs, IJobStore store, CancellationToken cancellationToken) =>
        await jobs.FindAsync(id, cancellationToken) is null ? Problems.NotFound(id) : await store.DeleteAsync(id, cancellationToken) switch
        {
            TransitionOutcome.Done => TypedResults.NoContent(),
            TransitionOutcome.NotFound => Problems.NotFound(id),
            _ => Problems.Conflict("The job cannot be deleted", $"Job '{id}' has not finished; cancel it first."),
        };

    private static async Task<Results<Ok<SamplesPage>, ValidationProblem, ProblemHttpResult>> SamplesAsync(
        string id, int? offset, int? count, VisibleJobs jobs, IDatasetStore datasets, IOptions<JobsOptions> options, CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(id, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        if (await ResolvedJob.FromRecordAsync(job, datasets, cancellationToken) is not { } resolved)
        {
            return Problems.DatasetDeleted(id, ResolvedJob.StoredDatasetId(job.Request)!);
        }
        int examples = resolved.Source.Examples;
        int first = offset ?? 0;
        int maxRows = Math.Max(1, options.Value.MaxSampleCount);
        int rows = count ?? RowsPage.DefaultCount(maxRows, resolved.Source.Features, options.Value.MaxSampleValues);
        var errors = new Dictionary<string, string[]>();
        if (first < 0 || first >= examples)
        {
            errors["offset"] = [$"offset must be between 0 and {examples - 1} (the job has {examples} rows); got {first}."];
        }
        if (RowsPage.CountError(rows, maxRows, resolved.Source.Features, options.Value.MaxSampleValues) is { } countError)
        {
            errors["count"] = [countError];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        Dataset page = await resolved.Source.ReadRowsAsync(datasets, first, Math.Min(rows, examples - first), cancellationToken);
        return TypedResults.Ok(new SamplesPage(first, JobMapping.Rows(page), page.Labels));
    }
}
