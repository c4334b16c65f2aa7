using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.RateLimits;
using LinRegService.Storage;
using LinRegService.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LinRegService.Sweeps;

/// <summary>The <c>/api/sweeps</c> endpoints: submit a grid of jobs, read, list, cancel and delete it.</summary>
internal static class SweepEndpoints
{
    public static IEndpointRouteBuilder MapSweepEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder sweeps = app.MapGroup("/api/sweeps").WithTags("Sweeps");

        sweeps.MapPost("", SubmitAsync)
            .WithName("SubmitSweep")
            .WithSummary("Submit a sweep: one job per point of a grid of settings")
            .WithDescription("Queues one ordinary job per point of the cartesian product of `grid` (at most `Sweeps:MaxJobs`, default 64), each the `base` "
                + "request with the point's values set, e.g. `{\"base\": {}, \"grid\": {\"training.learningRate\": [0.01, 0.1, 1], \"training.batchSize\": [10, 100]}}`. "
                + "Seeds the base leaves out are drawn once, so every job trains on the same data from the same start unless the grid varies a seed. "
                + "All the jobs are queued or none: the queue limit and the key's quotas hold for them together. Each job carries the sweep's id in `sweepId`. "
                + "An `Idempotency-Key` header makes a retried submission return the original sweep (409 if the key came with another body).")
            .Accepts<SweepRequest>("application/json")
            .CountsAsSubmission()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        sweeps.MapGet("{id}", GetAsync)
            .WithName("GetSweep")
            .WithSummary("Read a sweep")
            .WithDescription("Its status and progress from its jobs, one entry per grid point (values, status, final loss, weight error, epochs run, training time) "
                + "and the best job by final squared loss.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        sweeps.MapGet("", ListAsync)
            .WithName("ListSweeps")
            .WithSummary("List sweeps, newest first")
            .WithDescription("At most `limit` (1–100, default 20) per page; pass `next` back as `cursor` for the following page. "
                + "Items leave out `jobs` (empty): `GET /api/sweeps/{id}` has them. A user key sees its own sweeps; an admin key every sweep, or with `owner` those of one key id.");

        sweeps.MapPost("{id}/cancel", CancelAsync)
            .WithName("CancelSweep")
            .WithSummary("Cancel a sweep")
            .WithDescription("Cancels every job of the sweep that has not ended: queued ones at once, running ones at their next training step. "
                + "A sweep whose jobs have all ended cannot be canceled (409).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        sweeps.MapDelete("{id}", DeleteAsync)
            .WithName("DeleteSweep")
            .WithSummary("Delete a sweep and its jobs")
            .WithDescription("Removes the sweep and every job of it once all have ended; otherwise 409: cancel it first.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<Results<Accepted<Sweep>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [FromBody] SweepRequest request,
        [FromHeader(Name = IdempotencyKeys.Header)] string[]? idempotencyKeys,
        SweepSubmissions submissions,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.BadField("body", "The request body must be a JSON object with a grid, e.g. {\"grid\": {\"training.learningRate\": [0.01, 0.1]}}.");
        }
        if (idempotencyKeys is { Length: > 0 } && IdempotencyKeys.Check(idempotencyKeys) is { } keyError)
        {
            return Problems.BadField(IdempotencyKeys.Header, keyError);
        }
        switch (await submissions.SubmitAsync(request, idempotencyKeys?.FirstOrDefault(), cancellationToken))
        {
            case SweepOutcome.Accepted(Sweep sweep):
                return TypedResults.Accepted($"/api/sweeps/{sweep.Id}", sweep);
            case SweepOutcome.Invalid(Dictionary<string, string[]> errors):
                return TypedResults.ValidationProblem(errors);
            case SweepOutcome.TooManyJobs(int jobs, long maxActive):
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "The sweep is over the key's quota",
                    detail: $"The sweep has {jobs} jobs; this key may have at most {maxActive} active jobs. Use a smaller grid.",
                    extensions: new Dictionary<string, object?> { ["quota"] = "maxActiveJobs", ["limit"] = maxActive, ["used"] = jobs });
            case SweepOutcome.KeyReused:
                return Problems.Conflict("Idempotency-Key reused", "This Idempotency-Key was used before with a different request body.");
            case SweepOutcome.Refused(SubmissionOutcome outcome):
                return JobEndpoints.Refusal(outcome, response);
            case var other:
                throw new InvalidOperationException($"Unknown sweep outcome {other}.");
        }
    }

    private static async Task<Results<Ok<Sweep>, ProblemHttpResult>> GetAsync(string id, VisibleSweeps sweeps, CancellationToken cancellationToken) =>
        await sweeps.FindAsync(id, cancellationToken) is { } sweep
            ? TypedResults.Ok(await sweeps.ReadAsync(sweep, cancellationToken))
            : NotFound(id);

    private static async Task<Results<Ok<SweepList>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, string? owner, VisibleSweeps sweeps, CancellationToken cancellationToken)
    {
        (int take, long? before, ValidationProblem? problem) = ListPaging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }
        SweepPage page = await sweeps.ListAsync(take, before, string.IsNullOrEmpty(owner) ? null : owner, cancellationToken);
        var items = new List<Sweep>(page.Items.Count);
        foreach (SweepRecord sweep in page.Items)
        {
            items.Add(sweep.ToContract(await sweeps.JobsAsync(sweep.Id, withLosses: false, cancellationToken), withJobs: false));
        }
        return TypedResults.Ok(new SweepList(items, ListPaging.Next(page.NextBefore)));
    }

    private static async Task<Results<Accepted<Sweep>, ProblemHttpResult>> CancelAsync(
        string id, VisibleSweeps sweeps, IJobStore store, IJobRunner runner, JobMetrics metrics, TimeProvider clock, ILogger<SweepSubmissions> logger,
        CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(id, cancellationToken) is not { } sweep)
        {
            return NotFound(id);
        }
        List<JobRecord> jobs = await sweeps.JobsAsync(id, withLosses: false, cancellationToken);
        int canceled = 0;
        foreach (JobRecord job in jobs.Where(j => !j.Status.IsFinished()))
        {
            (TransitionOutcome outcome, JobStatus? status) = await store.CancelAsync(job.Id, clock.GetUtcNow(), cancellationToken);
            canceled += outcome == TransitionOutcome.Done ? 1 : 0;
            if (outcome == TransitionOutcome.Done && status == JobStatus.Canceled)
            {
                metrics.Finished(JobStatus.Canceled, null, job.OwnerRole); // a queued job ends here; a running one where it runs
            }
            if (status == JobStatus.Canceling)
            {
                runner.CancelRunning(job.Id);
            }
        }
        if (canceled == 0)
        {
            return Problems.Conflict("The sweep cannot be canceled", $"Every job of sweep '{id}' has already ended.");
        }
        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.SweepId] = id }))
        {
            logger.SweepCanceled(canceled);
        }
        return TypedResults.Accepted($"/api/sweeps/{id}", await sweeps.ReadAsync(sweep, cancellationToken));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, VisibleSweeps sweeps, IJobStore store, ILogger<SweepSubmissions> logger, CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        List<JobRecord> jobs = await sweeps.JobsAsync(id, withLosses: false, cancellationToken);
        if (jobs.Any(j => !j.Status.IsFinished()))
        {
            return Problems.Conflict("The sweep cannot be deleted", $"Some jobs of sweep '{id}' have not ended; cancel the sweep first.");
        }
        foreach (JobRecord job in jobs)
        {
            await store.DeleteAsync(job.Id, cancellationToken); // through the store, so a cache of finished jobs forgets them
        }
        await sweeps.DeleteRowAsync(id, cancellationToken);
        using (logger.BeginScope(new Dictionary<string, object> { [LogProperties.SweepId] = id }))
        {
            logger.SweepDeleted(jobs.Count);
        }
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Sweep not found", detail: $"No sweep has the id '{id}'.");
}
