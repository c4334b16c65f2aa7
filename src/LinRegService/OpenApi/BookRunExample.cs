using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using Microsoft.Extensions.Options;

namespace LinRegService.OpenApi;

/// <summary>
/// The book's run (w = [2, −3.4], b = 4.2, 1000 examples, seeds 42 and 7) as the service answers
/// it, computed by the engine once, when the document is first asked for: resolved by the same
/// resolver, run by the same engine, and mapped by the same code as a real job, so the example
/// shows real numbers. Only the id, the times and the durations are made up or measured here.
/// </summary>
internal sealed class BookRunExample(IServiceScopeFactory scopes, IOptions<JobsOptions> options)
{
    public const string Id = "0198f3a2c4e07b5d9a1c2e3f4a5b6c7d";

    private static readonly DateTimeOffset _createdAt = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);

    private readonly Lazy<Task<BookRunJobs>> _jobs = new(() => RunAsync(scopes, options.Value));

    /// <summary>The book's run as a client submits it.</summary>
    public static JobRequest Request => new()
    {
        Dataset = new DatasetRequest { Seed = RequestFieldsFilter.BookDatasetSeed },
        Training = new TrainingRequest { Seed = RequestFieldsFilter.BookTrainingSeed },
    };

    public Task<BookRunJobs> GetAsync() => _jobs.Value;

    private static async Task<BookRunJobs> RunAsync(IServiceScopeFactory scopes, JobsOptions settings)
    {
        ResolvedJob job;
        await using (AsyncServiceScope scope = scopes.CreateAsyncScope())
        {
            JobRequestResolver resolver = scope.ServiceProvider.GetRequiredService<JobRequestResolver>();
            (ResolvedJob? resolved, Dictionary<string, string[]> errors, _) = await resolver.ResolveAsync(Request, CancellationToken.None);
            job = resolved ?? throw new InvalidOperationException($"The book's run does not pass validation: {string.Join("; ", errors.Keys)}");
        }
        RunResult result = LinearRegressionRun.Execute(job.Spec!, job.Training, settings.Limits);
        var submitted = new JobRecord
        {
            Id = Id,
            Status = JobStatus.Queued,
            CreatedAt = _createdAt,
            Request = job.Request,
            Samples = DatasetGenerator.GenerateRows(job.Spec!, 0, Math.Min(job.SampleCount, job.Spec!.Examples)).ToSamples(),
        };
        DateTimeOffset startedAt = _createdAt.AddMilliseconds(3);
        JobTimings timings = result.ToContract().Timings;
        JobRecord finished = submitted with
        {
            Status = JobStatus.Succeeded,
            StartedAt = startedAt,
            FinishedAt = startedAt.AddMilliseconds(Math.Ceiling(timings.GenerateMs + timings.TrainMs + timings.ClosedFormMs)),
            EpochLosses = result.EpochLosses,
            Result = result.ToContract(),
            Attempts = 1,
        };
        return new BookRunJobs(submitted.ToContract(), finished.ToContract());
    }
}

/// <summary>The book's run as the submission answers it (queued) and once it has succeeded.</summary>
internal sealed record BookRunJobs(Job Submitted, Job Finished);
