using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Storage;
using LinRegService.Tests.Replicas;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.DatasetJobs;

/// <summary>
/// Jobs on a stored dataset across real replicas on one PostgreSQL database (<c>LINREG_TEST_POSTGRES</c>;
/// skipped without it): the rows stored in the shared database are loaded by whichever replica claims the job.
/// </summary>
public sealed class DatasetJobReplicaTests(ReplicaCluster cluster) : IClassFixture<ReplicaCluster>
{
    [PostgresFact]
    public async Task A_job_on_a_dataset_stored_in_the_shared_database_runs_on_any_replica_and_reads_the_same_everywhere()
    {
        IReadOnlyList<ServiceReplica> alive = cluster.Alive;
        Assert.True(alive.Count >= 2, $"fewer than two replicas run.\n{cluster.Logs()}");
        (string[] names, string label, float[][] features, float[] labels) = StoredDatasets.ReadCsv(StoredDatasets.RepositoryFile("docs/examples/ohm.csv"), "voltage");
        DatasetRecord dataset;
        await using (var dialect = new PostgresDialect(cluster.ConnectionString))
        {
            dataset = await StoredDatasets.StoreAsync(new SqlDatasetStore(dialect, TimeProvider.System), names, label, features, labels, name: "ohm");
        }
        string body = $$"""{ "dataset": { "id": "{{dataset.Id}}" }, "training": { "standardize": true, "learningRate": 0.1, "epochs": 100 }, "sampleCount": 3 }""";

        // Several jobs, so more than one replica's workers take some.
        Job[] submitted = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => alive[0].Client.SubmitAsync(body)));
        Job[] finished = await Task.WhenAll(submitted.Select(j => alive[1].Client.WaitForFinishAsync(j.Id, TimeSpan.FromSeconds(60))));

        Assert.All(finished, j => Assert.True(j.Status == JobStatus.Succeeded, $"{j.Id}: {j.Status} {j.Error?.Message}\n{cluster.Logs()}"));
        Assert.All(finished, j => Assert.InRange(j.Result!.Weights[0], 47 * 0.98, 47 * 1.02));
        Assert.All(finished, j => Assert.Null(j.Result!.WeightError));
        Assert.All(finished, j => Assert.Equal(finished[0].Result!.ClosedForm!.Weights, j.Result!.ClosedForm!.Weights)); // the same rows, wherever loaded
        Job fromThird = await alive[^1].Client.GetJobAsync(finished[0].Id);
        Assert.Equal(finished[0].Result!.ClosedForm!.Weights, fromThird.Result!.ClosedForm!.Weights);
        Assert.Equal(labels.Take(3), fromThird.Samples!.Labels);
        Assert.Equal(dataset.Id, fromThird.Request.Dataset!.Id);
    }
}
