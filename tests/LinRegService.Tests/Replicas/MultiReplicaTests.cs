using System.Diagnostics;
using System.Globalization;
using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Xunit.Abstractions;

namespace LinRegService.Tests.Replicas;

/// <summary>
/// Three real service processes on one PostgreSQL database (<c>LINREG_TEST_POSTGRES</c>; skipped
/// without it): a replica killed mid-batch loses no job, and a cancel reaches the replica that
/// runs the job. docs/operations.md describes the setup these tests exercise.
/// </summary>
public sealed class MultiReplicaTests(ReplicaCluster cluster, ITestOutputHelper output) : IClassFixture<ReplicaCluster>
{
    private const int JobCount = 200;

    /// <summary>Distinct requests in the batch; jobs with one variant must end with one result.</summary>
    private const int Variants = 4;

    /// <summary>Lease 3 s, then a claim, then the rerun: generous, as CI machines are slow.</summary>
    private static readonly TimeSpan _finishLimit = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan _cancelLimit = TimeSpan.FromSeconds(3);

    private static readonly string[] _unfinished = ["queued", "running", "canceling"];

    [PostgresFact]
    public async Task A_killed_replicas_jobs_are_claimed_again_and_every_job_succeeds()
    {
        ServiceReplica doomed = cluster.Replicas[0];
        ServiceReplica[] survivors = [.. cluster.Replicas.Skip(1)];
        Assert.False(doomed.HasExited, $"{doomed.Name} exited before the test.\n{cluster.Logs()}");

        // Round-robin, one sequential stream per replica.
        var batch = Stopwatch.StartNew();
        var variantOf = new Dictionary<string, int>();
        (string Id, int Variant)[][] submitted = await Task.WhenAll(cluster.Replicas.Select(async (replica, r) =>
        {
            var ids = new List<(string, int)>();
            for (int i = r; i < JobCount; i += ReplicaCluster.Count)
            {
                Job job = await replica.Client.SubmitAsync(SmallJob(i % Variants));
                ids.Add((job.Id, i % Variants));
            }
            return ids.ToArray();
        }));
        foreach ((string id, int variant) in submitted.SelectMany(s => s))
        {
            variantOf[id] = variant;
        }
        Assert.Equal(JobCount, variantOf.Count);
        TimeSpan submittedIn = batch.Elapsed;

        // Kill once every worker of the cluster runs one of these jobs (so the doomed replica surely
        // does) and some still wait: the condition the assertion below needs, not a guess at its time.
        Dictionary<string, (string Status, int Attempts, string? Error)> before = await ReadBatchAsync(variantOf);
        var busy = Stopwatch.StartNew();
        while (before.Count(j => j.Value.Status == "running") < ReplicaCluster.Count * ReplicaCluster.WorkersPerReplica
            && before.Any(j => j.Value.Status == "queued") && busy.Elapsed < _finishLimit)
        {
            await Task.Delay(50);
            before = await ReadBatchAsync(variantOf);
        }
        string[] runningAtKill = [.. before.Where(j => j.Value.Status == "running").Select(j => j.Key)];
        int queuedAtKill = before.Count(j => j.Value.Status == "queued");
        doomed.Kill();
        var sinceKill = Stopwatch.StartNew();
        long killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.True(runningAtKill.Length > 0 && queuedAtKill > 0,
            $"The workload is too short: at the kill {runningAtKill.Length} jobs ran and {queuedAtKill} were queued; "
            + "make the jobs or the batch bigger so the killed replica is surely busy.");

        Dictionary<string, (string Status, int Attempts, string? Error)> rows = before;
        while (sinceKill.Elapsed < _finishLimit)
        {
            rows = await ReadBatchAsync(variantOf);
            if (rows.Values.All(j => !_unfinished.Contains(j.Status)))
            {
                break;
            }
            await Task.Delay(250);
        }

        output.WriteLine($"submitted in {submittedIn.TotalSeconds:F1} s; at the kill {runningAtKill.Length} running, {queuedAtKill} queued; "
            + $"all finished {sinceKill.Elapsed.TotalSeconds:F1} s after the kill, {batch.Elapsed.TotalSeconds:F1} s after the first submission");
        string[] stuck = [.. rows.Where(j => _unfinished.Contains(j.Value.Status)).Select(j => $"{j.Key}: {j.Value.Status}, attempts {j.Value.Attempts}")];
        Assert.True(stuck.Length == 0,
            $"{stuck.Length} jobs were not finished {sinceKill.Elapsed.TotalSeconds:F0} s after {doomed.Name} was killed "
            + $"(lease 3 s; {runningAtKill.Length} ran at the kill: {string.Join(", ", runningAtKill)}); "
            + $"nothing reclaimed them:\n{string.Join("\n", stuck.Take(20))}\n{cluster.Logs()}");
        string[] notSucceeded = [.. rows.Where(j => j.Value.Status != "succeeded").Select(j => $"{j.Key}: {j.Value.Status}, attempts {j.Value.Attempts}, {j.Value.Error}")];
        Assert.True(notSucceeded.Length == 0, $"{notSucceeded.Length} jobs did not succeed:\n{string.Join("\n", notSucceeded.Take(20))}\n{cluster.Logs()}");
        Assert.Equal(JobCount, rows.Count);

        // The API of a survivor agrees: nothing is left in the queue or running.
        foreach (string status in _unfinished)
        {
            JobList left = await survivors[0].Client.ListAsync($"?status={status}&limit=100");
            Assert.True(left.Items.Count == 0, $"{survivors[0].Name} still lists {left.Items.Count} {status} jobs");
        }

        string[] reclaimed = [.. rows.Where(j => j.Value.Attempts >= 2).Select(j => j.Key)];
        output.WriteLine($"{reclaimed.Length} jobs took a second attempt: {string.Join(", ", reclaimed)}");
        Assert.True(reclaimed.Length > 0,
            $"{runningAtKill.Length} jobs ran at the kill, two workers' worth on {doomed.Name}, yet no job took a second attempt.\n{cluster.Logs()}");

        // The survivors counted each reclaim once, and each as a lease lost: the killed replica never renewed them.
        double reclaimedCounted = 0, lostCounted = 0, exhaustedCounted = 0;
        foreach (ServiceReplica survivor in survivors)
        {
            string metrics = await survivor.Client.GetStringAsync("/metrics");
            reclaimedCounted += PrometheusText.Sum(metrics, "linreg_jobs_reclaimed_total");
            lostCounted += PrometheusText.Sum(metrics, "linreg_lease_lost_total");
            exhaustedCounted += PrometheusText.Sum(metrics, "linreg_jobs_attempts_exhausted_total");
        }
        output.WriteLine($"the survivors' counters: {reclaimedCounted} reclaimed, {lostCounted} leases lost, {exhaustedCounted} out of attempts");
        Assert.Equal(reclaimed.Length, reclaimedCounted);
        Assert.Equal(reclaimed.Length, lostCounted);
        Assert.Equal(0, exhaustedCounted);

        // The killed replica's jobs are the oldest claimable ones once their leases lapse, so they
        // finish within the lease plus a few seconds, not at the end of the batch.
        await using (var connection = new Npgsql.NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var latest = new Npgsql.NpgsqlCommand("SELECT max(finished_at) FROM jobs WHERE id = ANY(@ids);", connection);
            latest.Parameters.AddWithValue("ids", reclaimed);
            double secondsAfterKill = ((long)(await latest.ExecuteScalarAsync())! - killedAtMs) / 1000.0;
            output.WriteLine($"the reclaimed jobs finished {secondsAfterKill:F1} s after the kill (lease 3 s)");
            Assert.True(secondsAfterKill <= 3 + 10, $"the reclaimed jobs finished {secondsAfterKill:F1} s after the kill; lease 3 s + 10 s allowed");
        }

        // At-least-once is harmless: the rerun of a request computes what a single run of it does.
        string again = reclaimed[0];
        string? once = rows.Where(j => j.Value.Attempts == 1 && variantOf[j.Key] == variantOf[again]).Select(j => j.Key).FirstOrDefault();
        Assert.True(once is not null, $"every job like {again} was rerun; none to compare with");
        Job rerun = await survivors[1].Client.GetJobAsync(again);
        Job single = await survivors[1].Client.GetJobAsync(once);
        Assert.NotNull(rerun.Result);
        Assert.NotNull(single.Result);
        Assert.Equal(single.Result.Weights, rerun.Result.Weights);
        Assert.Equal(single.Result.Bias, rerun.Result.Bias);
        Assert.Equal(single.Result.WeightError, rerun.Result.WeightError);
        Assert.Equal(single.Result.BiasError, rerun.Result.BiasError);
        Assert.Equal(single.EpochLosses, rerun.EpochLosses);
    }

    [PostgresFact]
    public async Task A_cancel_sent_to_another_replica_stops_the_job()
    {
        IReadOnlyList<ServiceReplica> alive = cluster.Alive;
        Assert.True(alive.Count >= 2, $"Fewer than two replicas run.\n{cluster.Logs()}");
        ServiceReplica submitter = alive[0];
        ServiceReplica canceler = alive[1];

        // Which replica claims a job is not up to the client: one long job per worker keeps every
        // worker busy, so the replicas other than the canceler surely run some of them.
        int jobs = alive.Count * ReplicaCluster.WorkersPerReplica;
        var ids = new List<string>();
        try
        {
            for (int i = 0; i < jobs; i++)
            {
                ids.Add((await submitter.Client.SubmitAsync(Requests.LongJob())).Id);
            }
            foreach (string id in ids)
            {
                // Past its first epoch: the data are generated and training runs.
                await submitter.Client.WaitForAsync(id, j => j.Status == JobStatus.Running && j.Progress.Epoch >= 1, "running past epoch 1", TimeSpan.FromSeconds(60));
            }

            var clock = Stopwatch.StartNew();
            var askedAt = new Dictionary<string, DateTimeOffset>();
            foreach (string id in ids)
            {
                askedAt[id] = DateTimeOffset.UtcNow;
                using HttpResponseMessage response = await canceler.Client.CancelAsync(id);
                Job answered = await response.ReadAsAsync<Job>(HttpStatusCode.Accepted);
                Assert.Contains(answered.Status, new[] { JobStatus.Canceling, JobStatus.Canceled });
            }
            var stoppedAfter = new List<double>();
            foreach (string id in ids)
            {
                TimeSpan left = _cancelLimit - clock.Elapsed;
                Job job = await canceler.Client.WaitForStatusAsync(id, JobStatus.Canceled, left > TimeSpan.Zero ? left : TimeSpan.Zero);
                Assert.Null(job.Result);
                // Server time from the cancel request to the job's end (one clock: same machine).
                stoppedAfter.Add((job.FinishedAt!.Value - askedAt[id]).TotalSeconds);
            }
            output.WriteLine($"cancel → canceled: {string.Join(", ", stoppedAfter.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s");
            Assert.All(stoppedAfter, seconds => Assert.True(seconds <= 1.0, $"a job took {seconds:F2} s to stop after its cancel; the limit is 1 s"));
            Assert.True(clock.Elapsed <= _cancelLimit + TimeSpan.FromMilliseconds(500),
                $"{jobs} jobs took {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s to be canceled");
        }
        finally
        {
            // Whatever happened, leave no long job burning the cores for the next test: a cancel
            // sent to each replica reaches the one that runs the job in-process.
            foreach (string id in ids)
            {
                foreach (ServiceReplica replica in cluster.Alive)
                {
                    using HttpResponseMessage ignored = await replica.Client.CancelAsync(id);
                }
            }
        }
    }

    [PostgresFact]
    public async Task A_sweep_submitted_to_one_replica_runs_on_several_and_reads_the_same_from_each()
    {
        IReadOnlyList<ServiceReplica> alive = cluster.Alive;
        Assert.True(alive.Count >= 2, $"Fewer than two replicas run.\n{cluster.Logs()}");
        // More jobs than one replica's workers, each long enough that the others wake and claim some.
        string jobRequest = Requests.LongJob(examples: 200_000, epochs: 5);
        string grid = string.Join(", ", Enumerable.Range(1, 4 * alive.Count * ReplicaCluster.WorkersPerReplica));
        Sweep sweep = await alive[0].Client.SubmitSweepAsync($$"""{ "base": {{jobRequest}}, "grid": { "training.seed": [{{grid}}] } }""");

        Sweep done = await alive[^1].Client.WaitForSweepAsync(sweep.Id, _finishLimit);
        Assert.Equal(SweepStatus.Finished, done.Status);
        Assert.Equal(sweep.Jobs.Count, done.Progress.Succeeded);
        foreach (ServiceReplica replica in alive)
        {
            Sweep seen = await replica.Client.GetSweepAsync(sweep.Id);
            Assert.Equal((done.Status, done.Progress, done.BestJobId), (seen.Status, seen.Progress, seen.BestJobId));
        }
        var ranOn = sweep.Jobs.ToDictionary(j => j.JobId, j => alive.Where(r => File.ReadLines(r.LogPath)
            .Any(line => line.Contains(j.JobId, StringComparison.Ordinal) && line.Contains("Job started", StringComparison.Ordinal))).Select(r => r.Name).ToList());
        Assert.All(ranOn, job => Assert.NotEmpty(job.Value));
        string[] replicas = [.. ranOn.Values.SelectMany(names => names).Distinct()];
        output.WriteLine($"{sweep.Jobs.Count} jobs ran on {string.Join(", ", replicas)}");
        Assert.True(replicas.Length >= 2, $"every job of the sweep ran on {string.Join(", ", replicas)}");
    }

    [PostgresFact]
    public async Task On_an_idle_cluster_a_queued_job_starts_within_100_ms()
    {
        ServiceReplica replica = cluster.Alive[0];
        // Idle first: the other tests may still be finishing work (bounded wait).
        var idle = Stopwatch.StartNew();
        while ((await cluster.ReadJobsAsync()).Values.Any(j => _unfinished.Contains(j.Status)))
        {
            Assert.True(idle.Elapsed < _finishLimit, $"the cluster did not become idle.\n{cluster.Logs()}");
            await Task.Delay(200);
        }

        // The poll interval is 500 ms here, so only LISTEN/NOTIFY can start a job this fast;
        // the median of five keeps one scheduling hiccup on a busy machine from deciding.
        var delays = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            Job submitted = await replica.Client.SubmitAsync("""{ "sampleCount": 0 }""");
            Job started = await replica.Client.WaitForFinishAsync(submitted.Id);
            delays.Add((started.StartedAt!.Value - started.CreatedAt).TotalMilliseconds);
        }
        delays.Sort();
        output.WriteLine($"queued → started: {string.Join(", ", delays)} ms");
        Assert.True(delays[2] <= 100, $"median start delay {delays[2]} ms > 100 ms: {string.Join(", ", delays)}");
    }

    /// <summary>The rows of this batch only (the other test's jobs share the database).</summary>
    private async Task<Dictionary<string, (string Status, int Attempts, string? Error)>> ReadBatchAsync(Dictionary<string, int> batch) =>
        (await cluster.ReadJobsAsync()).Where(j => batch.ContainsKey(j.Key)).ToDictionary(j => j.Key, j => j.Value);

    /// <summary>
    /// A short job (30 000 × 16, 5 epochs, batch 64; the batch of 200 takes some seconds on two cores), seeds fixed by
    /// <paramref name="variant"/>.
    /// </summary>
    private static string SmallJob(int variant)
    {
        string weights = string.Join(", ", Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? "0.5" : "-1.5"));
        return $$"""
            {
              "dataset": { "weights": [{{weights}}], "bias": 2, "examples": 30000, "seed": {{100 + variant}} },
              "training": { "epochs": 5, "batchSize": 64, "seed": {{200 + variant}} },
              "sampleCount": 0
            }
            """;
    }
}
