using System.Runtime.InteropServices;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Storage;
using LinRegService.Tests.Support;
using LinRegService.Training.Data;
using Microsoft.Data.Sqlite;

namespace LinRegService.Tests.Datasets;

/// <summary>
/// The dataset store's contract, written once and run on SQLite and on PostgreSQL: chunks become a
/// dataset only at commit, the same rows of one key are one dataset, deletes wait for the jobs on
/// a dataset, and abandoned chunks are purged.
/// </summary>
public abstract class DatasetStoreContractTests : IAsyncLifetime
{
    private readonly List<SqlJobStore> _jobStores = [];

    protected IJobStore Jobs { get; private set; } = null!;

    protected IDatasetStore Store { get; private set; } = null!;

    protected abstract Task<SqlDialect> NewDialectAsync();

    public async Task InitializeAsync()
    {
        SqlDialect dialect = await NewDialectAsync();
        var jobs = new SqlJobStore(dialect);
        _jobStores.Add(jobs);
        await jobs.InitializeAsync(CancellationToken.None);
        Jobs = jobs;
        Store = new SqlDatasetStore(dialect, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        foreach (SqlJobStore store in _jobStores)
        {
            await store.DisposeAsync();
        }
    }

    protected async Task ChunksBecomeADatasetOnlyAtCommitAndReadBackAcrossChunksAsync()
    {
        DatasetRecord dataset = await WriteAsync("owner-a", rows: 7, perChunk: 3, seed: 0);

        Assert.Null(await Store.GetAsync(dataset.Id, CancellationToken.None));
        DatasetRecord committed = await Store.CommitAsync(dataset, CancellationToken.None);
        DatasetRecord? read = await Store.GetAsync(dataset.Id, CancellationToken.None);

        Assert.Equal(dataset.Id, committed.Id);
        Assert.NotNull(read);
        Assert.Equal(["f0", "f1"], read.FeatureNames);
        Assert.Equal(("y", 7L, 7L * 3 * 4, dataset.ContentHash, "owner-a", "named"), (read.LabelName, read.Rows, read.Bytes, read.ContentHash, read.Owner, read.Name));
        Dataset middle = await Store.ReadRowsAsync(read, 2, 4, CancellationToken.None); // rows 2..5 span chunks 0, 1 and 2
        Assert.Equal([20f, 21f, 30f, 31f, 40f, 41f, 50f, 51f], middle.Features);
        Assert.Equal([2.5f, 3.5f, 4.5f, 5.5f], middle.Labels);
        Dataset all = await Store.LoadAsync(read, CancellationToken.None);
        Assert.Equal(7, all.Examples);
        Assert.Equal(6.5f, all.Labels[^1]);
        Assert.Single((await Store.ReadRowsAsync(read, 6, 10, CancellationToken.None)).Labels); // fewer at the end
    }

    protected async Task TheSameRowsOfOneKeyAreOneDatasetAndTheSecondUploadsChunksGoAsync()
    {
        DatasetRecord first = await Store.CommitAsync(await WriteAsync("owner-b", rows: 4, perChunk: 2, seed: 100), CancellationToken.None);
        DatasetRecord again = await WriteAsync("owner-b", rows: 4, perChunk: 2, seed: 100);
        DatasetRecord otherKey = await WriteAsync("owner-c", rows: 4, perChunk: 2, seed: 100);

        DatasetRecord deduped = await Store.CommitAsync(again, CancellationToken.None);
        DatasetRecord separate = await Store.CommitAsync(otherKey, CancellationToken.None);

        Assert.Equal(first.Id, deduped.Id);
        Assert.Equal(otherKey.Id, separate.Id);
        Assert.Null(await Store.GetAsync(again.Id, CancellationToken.None));
        Assert.Equal(0, await Store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), CancellationToken.None)); // its chunks went at commit
        Assert.Equal(4, (await Store.LoadAsync(first, CancellationToken.None)).Examples);
    }

    protected async Task ListsPageNewestFirstByOwnerAsync()
    {
        DatasetRecord[] mine = [
            await Store.CommitAsync(await WriteAsync("owner-d", rows: 1, perChunk: 1, seed: 1), CancellationToken.None),
            await Store.CommitAsync(await WriteAsync("owner-d", rows: 1, perChunk: 1, seed: 2), CancellationToken.None),
            await Store.CommitAsync(await WriteAsync("owner-d", rows: 1, perChunk: 1, seed: 3), CancellationToken.None),
        ];
        await Store.CommitAsync(await WriteAsync("owner-e", rows: 1, perChunk: 1, seed: 4), CancellationToken.None);

        DatasetPage page1 = await Store.ListAsync(2, null, "owner-d", CancellationToken.None);
        DatasetPage page2 = await Store.ListAsync(2, page1.NextBefore, "owner-d", CancellationToken.None);
        DatasetPage everyone = await Store.ListAsync(100, null, null, CancellationToken.None);

        Assert.Equal([mine[2].Id, mine[1].Id], page1.Items.Select(d => d.Id));
        Assert.Equal([mine[0].Id], page2.Items.Select(d => d.Id));
        Assert.Null(page2.NextBefore);
        Assert.Equal(4, everyone.Items.Count);
    }

    protected async Task DeleteWaitsForTheJobsOnTheDatasetAsync()
    {
        DatasetRecord used = await Store.CommitAsync(await WriteAsync("owner-f", rows: 2, perChunk: 1, seed: 7), CancellationToken.None);
        DatasetRecord free = await Store.CommitAsync(await WriteAsync("owner-f", rows: 2, perChunk: 1, seed: 8), CancellationToken.None);
        JobRecord job = JobOn(used.Id);
        Assert.IsType<AddResult.Added>(await Jobs.AddAsync(job, new AddLimits(int.MaxValue), CancellationToken.None));

        Assert.Equal(DatasetDeleteOutcome.InUse, await Store.DeleteAsync(used.Id, CancellationToken.None));
        Assert.Equal(DatasetDeleteOutcome.Deleted, await Store.DeleteAsync(free.Id, CancellationToken.None));
        Assert.Equal(DatasetDeleteOutcome.NotFound, await Store.DeleteAsync(free.Id, CancellationToken.None));
        await Jobs.CancelAsync(job.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(DatasetDeleteOutcome.Deleted, await Store.DeleteAsync(used.Id, CancellationToken.None));
        Assert.Null(await Store.GetAsync(used.Id, CancellationToken.None));
        Assert.Equal(0, await Store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), CancellationToken.None)); // its chunks went with it
    }

    protected async Task AbandonedChunksArePurgedOnceOldAndDiscardRemovesAnUploadsChunksAsync()
    {
        DatasetRecord kept = await Store.CommitAsync(await WriteAsync("owner-g", rows: 3, perChunk: 1, seed: 9), CancellationToken.None);
        DatasetRecord killed = await WriteAsync("owner-g", rows: 3, perChunk: 1, seed: 10);
        DatasetRecord failed = await WriteAsync("owner-g", rows: 3, perChunk: 1, seed: 11);

        await Store.DiscardAsync(failed.Id, CancellationToken.None);

        Assert.Equal(0, await Store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(3, await Store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), CancellationToken.None)); // the killed one's only
        Assert.Null(await Store.GetAsync(killed.Id, CancellationToken.None));
        Assert.Equal(3, (await Store.LoadAsync(kept, CancellationToken.None)).Examples);
    }

    /// <summary>Writes rows r = 0..rows-1 (features 10·(seed + r) and 10·(seed + r) + 1, label seed + r + 0.5) in chunks; returns the record to commit.</summary>
    private async Task<DatasetRecord> WriteAsync(string owner, int rows, int perChunk, int seed)
    {
        string id = Guid.NewGuid().ToString("N");
        int chunk = 0;
        for (int first = 0; first < rows; first += perChunk, chunk++)
        {
            int count = Math.Min(perChunk, rows - first);
            float[] values = new float[count * 3];
            for (int r = 0; r < count; r++)
            {
                int n = seed + first + r;
                (values[r * 3], values[(r * 3) + 1], values[(r * 3) + 2]) = (10f * n, (10f * n) + 1, n + 0.5f);
            }
            await Store.WriteChunkAsync(id, chunk, first, count, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), CancellationToken.None);
        }
        return new DatasetRecord(id, owner, "named", rows, ["f0", "f1"], "y", rows * 3L * 4, $"hash-{seed}-{rows}", DateTimeOffset.UtcNow);
    }

    private static JobRecord JobOn(string datasetId) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Status = JobStatus.Queued,
        CreatedAt = DateTimeOffset.UtcNow,
        Request = new JobRequest
        {
            Dataset = new DatasetRequest { Id = datasetId, Weights = [1f, 1f], Bias = 0f, Examples = 2, NoiseStd = 0.01f, FeatureStd = 1f, Seed = 1 },
            Training = new TrainingRequest { LearningRate = 0.03f, BatchSize = 1, Epochs = 1, InitStd = 0.01f, Seed = 2 },
            SampleCount = 0,
        },
    };
}

/// <summary>The dataset store on SQLite: one file per test.</summary>
public sealed class SqliteDatasetStoreTests(TempDirectory directory) : DatasetStoreContractTests, IClassFixture<TempDirectory>
{
    protected override Task<SqlDialect> NewDialectAsync() => Task.FromResult<SqlDialect>(new SqliteDialect(new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(directory.Path, Guid.NewGuid().ToString("N") + ".db"),
    }.ToString()));

    [Fact]
    public Task Chunks_become_a_dataset_only_at_commit_and_read_back_across_chunks() => ChunksBecomeADatasetOnlyAtCommitAndReadBackAcrossChunksAsync();

    [Fact]
    public Task The_same_rows_of_one_key_are_one_dataset() => TheSameRowsOfOneKeyAreOneDatasetAndTheSecondUploadsChunksGoAsync();

    [Fact]
    public Task Lists_page_newest_first_by_owner() => ListsPageNewestFirstByOwnerAsync();

    [Fact]
    public Task Delete_waits_for_the_jobs_on_the_dataset() => DeleteWaitsForTheJobsOnTheDatasetAsync();

    [Fact]
    public Task Abandoned_chunks_are_purged_once_old() => AbandonedChunksArePurgedOnceOldAndDiscardRemovesAnUploadsChunksAsync();
}

/// <summary>The dataset store on PostgreSQL (<c>LINREG_TEST_POSTGRES</c>; skipped without it): a fresh schema per test.</summary>
public sealed class PostgresDatasetStoreTests(PostgresDatabase database) : DatasetStoreContractTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<SqlDialect> NewDialectAsync() =>
        PostgresDatabase.ServerConnectionString is null ? new SqliteDialect("Data Source=:memory:") : new PostgresDialect(await database.CreateSchemaAsync());

    [PostgresFact]
    public Task Chunks_become_a_dataset_only_at_commit_and_read_back_across_chunks() => ChunksBecomeADatasetOnlyAtCommitAndReadBackAcrossChunksAsync();

    [PostgresFact]
    public Task The_same_rows_of_one_key_are_one_dataset() => TheSameRowsOfOneKeyAreOneDatasetAndTheSecondUploadsChunksGoAsync();

    [PostgresFact]
    public Task Lists_page_newest_first_by_owner() => ListsPageNewestFirstByOwnerAsync();

    [PostgresFact]
    public Task Delete_waits_for_the_jobs_on_the_dataset() => DeleteWaitsForTheJobsOnTheDatasetAsync();

    [PostgresFact]
    public Task Abandoned_chunks_are_purged_once_old() => AbandonedChunksArePurgedOnceOldAndDiscardRemovesAnUploadsChunksAsync();
}
