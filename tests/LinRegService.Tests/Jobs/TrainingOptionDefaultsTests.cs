using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// The options' defaults are today's behaviour, filled into the echoed request so a job reruns
/// exactly; a job stored before the options existed reads with them filled in, maps to the same
/// engine run as a new request, and runs.
/// </summary>
public sealed class TrainingOptionDefaultsTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Every_option_is_filled_in_with_its_default()
    {
        Job queued = await _client.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
        await _client.WaitForStatusAsync(queued.Id, JobStatus.Succeeded);
        JsonObject json = await _client.GetJobJsonAsync(queued.Id);

        JsonObject training = json["request"]!["training"]!.AsObject();
        Assert.Equal("squared", (string?)training["loss"]);
        Assert.Equal(1.0, (double?)training["huberDelta"]);
        Assert.True((bool?)training["shuffle"]);
        Assert.Equal("constant", (string?)training["schedule"]);
        Assert.Equal(0.25, (double?)training["decayPower"]);
        Assert.Equal(1, (int?)training["decayEvery"]);
        Assert.Equal(0.5, (double?)training["decayFactor"]);
        Assert.True(training.ContainsKey("tolerance") && training["tolerance"] is null);
        Assert.Equal(5, (int?)training["patience"]);
        JsonObject dataset = json["request"]!["dataset"]!.AsObject();
        Assert.Equal("generated", (string?)dataset["order"]);
        Assert.True(dataset.ContainsKey("outliers") && dataset["outliers"] is null);

        JsonObject result = json["result"]!.AsObject();
        Assert.Equal((double?)json["epochLosses"]!.AsArray()[^1], (double?)result["finalSquaredLoss"]);
        Assert.Equal(3, (int?)result["epochsRun"]);
        Assert.False((bool?)result["stoppedEarly"]);
        Assert.Equal("leastSquares", (string?)result["closedForm"]!["objective"]);
    }

    [Fact]
    public async Task Resubmitting_an_echoed_request_with_every_option_reruns_it_bit_for_bit()
    {
        Job first = await _client.SucceededAsync("""
            { "dataset": { "outliers": { "rows": [3], "label": 50, "fraction": 0.05, "shift": -20 }, "order": "sortedByLabel" },
              "training": { "loss": "huber", "huberDelta": 0.5, "schedule": "invScaling", "tolerance": 0, "patience": 2, "epochs": 20 } }
            """);

        Job again = await _client.SucceededAsync(System.Text.Json.JsonSerializer.Serialize(first.Request, ApiJson.Options));

        Assert.Equal(first.Result!.Weights, again.Result!.Weights);
        Assert.Equal(first.EpochLosses, again.EpochLosses);
        Assert.Equal(first.Samples!.Labels, again.Samples!.Labels);
    }

    [Fact]
    public async Task A_job_stored_before_the_options_reads_with_their_defaults_and_runs_as_a_new_one()
    {
        // What a resolved request looked like before: the book's fields only.
        var old = new JobRequest
        {
            Dataset = new DatasetRequest { Weights = [2f, -3.4f], Bias = 4.2f, Examples = 1000, NoiseStd = 0.01f, FeatureStd = 1f, Seed = 42 },
            Training = new TrainingRequest { LearningRate = 0.03f, BatchSize = 10, Epochs = 3, InitStd = 0.01f, Seed = 7, MaxRuntimeSeconds = 60 },
            SampleCount = 0,
        };
        string id = $"old-{Guid.NewGuid():N}";
        using (IServiceScope scope = service.Factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IJobStore>().AddAsync(
                new JobRecord { Id = id, Status = JobStatus.Queued, CreatedAt = DateTimeOffset.UtcNow, Request = old }, CancellationToken.None);
            scope.ServiceProvider.GetRequiredService<IJobRunner>().WakeWorkers();
        }
        Job fresh = await _client.SucceededAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7, "maxRuntimeSeconds": 60 }, "sampleCount": 0 }""");

        Job stored = await _client.WaitForStatusAsync(id, JobStatus.Succeeded);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(fresh.Request, ApiJson.Options), System.Text.Json.JsonSerializer.Serialize(stored.Request, ApiJson.Options));
        Assert.Equal(fresh.Result!.Weights, stored.Result!.Weights);
        Assert.Equal(fresh.EpochLosses, stored.EpochLosses);
        Assert.Equal(3, stored.Result.EpochsRun);
        Assert.Equal(ResolvedJob.From(old, null).Training, ResolvedJob.From(fresh.Request, null).Training);
    }

    [Fact]
    public void A_result_stored_before_runs_counted_epochs_reads_with_its_counts()
    {
        var result = new JobResult { Weights = [2f], Bias = 4f, WeightError = [0f], BiasError = 0.2f, Timings = new JobTimings(1, 1, 1) };
        var record = new JobRecord
        {
            Id = "old",
            Status = JobStatus.Succeeded,
            CreatedAt = DateTimeOffset.UtcNow,
            EpochLosses = [0.5, 0.25, 0.125],
            Result = result,
            Request = new JobRequest { Dataset = new DatasetRequest { Seed = 1 }, Training = new TrainingRequest { Epochs = 3 } },
        };

        Job job = record.ToContract();

        Assert.Equal(3, job.Result!.EpochsRun);
        Assert.Equal(0.125, job.Result.FinalSquaredLoss);
        Assert.False(job.Result.StoppedEarly);
        Assert.Equal(TrainingLoss.Squared, job.Request.Training!.Loss);
        Assert.Equal(DatasetOrder.Generated, job.Request.Dataset!.Order);
    }
}
