using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Queue;
using LinRegService.Storage;
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
    internal const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder jobs = app.MapGroup("/api/jobs").WithTags("Jobs");

        jobs.MapPost("", SubmitAsync)
            .WithName("SubmitJob")
            .WithSummary("Submit a training job")
            .WithDescription("Queues a job that generates the dataset y = Xw + b + ε and trains it by minibatch SGD. "
                + "Every field may be left out; `{}` runs the book's example. Seeds left out are drawn and returned in `request`. "
                + "An `Idempotency-Key` header makes a retried submission return the original job.")
            .Accepts<JobRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        jobs.MapGet("{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Read a job")
            .WithDescription("Status, progress, per-epoch losses (growing while it runs), the result once it succeeds, and the dataset's first rows.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first")
            .WithDescription("Filter by `status` (applied before the limit), at most `limit` (1–100, default 20) per page; pass `next` back as `cursor` for the following page.");

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
            .WithDescription("Rows [offset, offset + count) regenerated from the job's seed (count 1–1000, default 10), identical to the job's `samples` where they overlap.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Accepted<Job>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [FromBody] JobRequest? request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        IJobStore store,
        JobRequestResolver resolver,
        JobSignal signal,
        IOptions<JobsOptions> options,
        TimeProvider clock,
        ILogger<JobRequestResolver> logger,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        request ??= new JobRequest();
        string? requestHash = null;
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength)
            {
                return Problems.BadField("Idempotency-Key", $"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters.");
            }
            requestHash = HashOf(request);
            if (await store.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
            {
                return Replay(earlier, requestHash);
            }
        }

        (ResolvedJob? job, Dictionary<string, string[]> errors, bool conflict) = await resolver.ResolveAsync(request, cancellationToken);
        if (job is null)
        {
            return conflict ? Problems.ConflictWithErrors(errors) : TypedResults.ValidationProblem(errors);
        }

        JobsOptions settings = options.Value;
        if (await store.CountQueuedAsync(cancellationToken) >= settings.MaxQueued)
        {
            response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The queue is full",
                detail: $"{settings.MaxQueued} jobs are already waiting. Retry after {settings.RetryAfterSeconds} s.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = settings.RetryAfterSeconds });
        }

        Dataset rows = DatasetGenerator.GenerateRows(job.Dataset, 0, Math.Min(job.SampleCount, job.Dataset.Examples));
        var record = new JobRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Status = JobStatus.Queued,
            CreatedAt = WholeMilliseconds(clock.GetUtcNow()),
            Request = job.Request,
            WarmStart = job.WarmStart,
            Samples = rows.ToSamples(),
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
        };
        JobRecord stored = await store.AddAsync(record, cancellationToken);
        if (stored.Id != record.Id)
        {
            return Replay(stored, requestHash!); // a concurrent submission with the same key won the race
        }

        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.JobId] = stored.Id }))
        {
            logger.JobQueued(job.Dataset.Examples, job.Dataset.Features, job.Training.Epochs, job.Training.BatchSize);
        }
        signal.Notify();
        return TypedResults.Accepted($"/api/jobs/{stored.Id}", stored.ToContract());
    }

    private static Results<Accepted<Job>, ValidationProblem, ProblemHttpResult> Replay(JobRecord earlier, string requestHash) =>
        earlier.RequestHash == requestHash
            ? TypedResults.Accepted($"/api/jobs/{earlier.Id}", earlier.ToContract())
            : Problems.Conflict("Idempotency-Key reused", "This Idempotency-Key was used before with a different request body.");

    private static async Task<Results<Ok<Job>, ProblemHttpResult>> GetAsync(string id, IJobStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job.ToContract()) : Problems.NotFound(id);

    private static async Task<Results<Ok<JobList>, ValidationProblem>> ListAsync(
        string? status, int? limit, string? cursor, IJobStore store, CancellationToken cancellationToken)
    {
        // The contract's lower-case words ("succeeded"); binding the enum directly accepts only "Succeeded" or numbers.
        JobStatus? filter = null;
        if (status is not null)
        {
            if (!StatusText.TryParse(status.ToLowerInvariant(), out JobStatus parsed))
            {
                return Problems.BadField("status", $"status must be one of queued, running, canceling, succeeded, failed, canceled; got '{status}'.");
            }
            filter = parsed;
        }
        int take = limit ?? DefaultListLimit;
        if (take is < 1 or > MaxListLimit)
        {
            return Problems.BadField("limit", $"limit must be between 1 and {MaxListLimit}; got {take}.");
        }
        long? before = null;
        if (cursor is not null)
        {
            if (!JobMapping.TryDecodeCursor(cursor, out long decoded))
            {
                return Problems.BadField("cursor", "The cursor is not one this service returned; pass the `next` of a previous page.");
            }
            before = decoded;
        }
        JobPage page = await store.ListAsync(filter, take, before, cancellationToken);
        return TypedResults.Ok(new JobList(
            [.. page.Items.Select(j => j.ToContract())],
            page.NextBefore is { } next ? JobMapping.EncodeCursor(next) : null));
    }

    private static async Task<Results<Accepted<Job>, ProblemHttpResult>> CancelAsync(
        string id, IJobStore store, RunningJobs running, TimeProvider clock, CancellationToken cancellationToken)
    {
        (TransitionOutcome outcome, JobStatus? status) = await store.CancelAsync(id, clock.GetUtcNow(), cancellationToken);
        switch (outcome)
        {
            case TransitionOutcome.NotFound:
                return Problems.NotFound(id);
            case TransitionOutcome.Conflict:
                return Problems.Conflict("The job cannot be canceled", $"Job '{id}' has already finished ({StatusText.Of(status!.Value)}).");
        }
        if (status == JobStatus.Canceling)
        {
            running.RequestCancel(id);
        }
        JobRecord? job = await store.GetAsync(id, cancellationToken);
        return job is null ? Problems.NotFound(id) : TypedResults.Accepted($"/api/jobs/{id}", job.ToContract());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IJobStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) switch
        {
            TransitionOutcome.Done => TypedResults.NoContent(),
            TransitionOutcome.NotFound => Problems.NotFound(id),
            _ => Problems.Conflict("The job cannot be deleted", $"Job '{id}' has not finished; cancel it first."),
        };

    private static async Task<Results<Ok<SamplesPage>, ValidationProblem, ProblemHttpResult>> SamplesAsync(
        string id, int? offset, int? count, IJobStore store, IOptions<JobsOptions> options, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        ResolvedJob resolved = ResolvedJob.FromRecord(job);
        int examples = resolved.Dataset.Examples;
        int first = offset ?? 0;
        int rows = count ?? DefaultSampleRows;
        int maxRows = Math.Max(1, options.Value.MaxSampleCount);
        var errors = new Dictionary<string, string[]>();
        if (first < 0 || first >= examples)
        {
            errors["offset"] = [$"offset must be between 0 and {examples - 1} (the job has {examples} rows); got {first}."];
        }
        if (rows < 1 || rows > maxRows)
        {
            errors["count"] = [$"count must be between 1 and {maxRows}; got {rows}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        Dataset page = DatasetGenerator.GenerateRows(resolved.Dataset, first, Math.Min(rows, examples - first));
        return TypedResults.Ok(new SamplesPage(first, JobMapping.Rows(page), page.Labels));
    }

    /// <summary>The store keeps milliseconds; the first answer shows the same instant as every later one.</summary>
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>A hash of the request as bound (not its raw bytes), so spacing and key order do not matter.</summary>
    private static string HashOf(JobRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, StoreJson.Options))));
}
