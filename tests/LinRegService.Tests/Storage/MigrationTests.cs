using System.Data.Common;
using LinRegService.Contracts;
using LinRegService.Storage;
using LinRegService.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinRegService.Tests.Storage;

/// <summary>
/// Versioned migrations: a database from before migrations opens with every job readable, each
/// script runs once even when replicas start together, and a database newer than the build is refused.
/// </summary>
public sealed class MigrationTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private static readonly CancellationToken _none = CancellationToken.None;
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_sqlite_file_from_before_migrations_opens_with_every_job_readable()
    {
        string file = Path.Combine(_directory.Path, "old.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "jobs-before-migrations.db"), file);
        string connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        await using var store = new SqlJobStore(new SqliteDialect(connectionString));

        await store.InitializeAsync(_none);

        JobPage page = await store.ListAsync(null, 100, null, _none);
        Assert.Equal(6, page.Items.Count);
        Assert.Equal(
            ["canceled", "failed", "queued", "running", "succeeded", "succeeded"],
            page.Items.Select(j => JobStatusText.Of(j.Status)).Order());
        JobRecord book = Assert.Single(page.Items, j => j.IdempotencyKey == "fixture-1");
        Assert.Equal(3, book.EpochLosses.Count);
        Assert.InRange(book.Result!.Weights[0], 1.99f, 2.01f);
        Assert.Equal(42, book.Request.Dataset!.Seed);
        JobRecord warm = Assert.Single(page.Items, j => j.WarmStart is not null);
        Assert.Equal(JobStatus.Succeeded, warm.Status);
        Assert.StartsWith("Training diverged", Assert.Single(page.Items, j => j.Status == JobStatus.Failed).ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(page.Items, j => j.Status == JobStatus.Canceled).EpochLosses.Count);
        Assert.Equal(Migrator.Scripts(new SqliteDialect(connectionString)).Select(v => v.Version), await VersionsAsync(new SqliteConnection(connectionString)));

        // What a crash left running goes back to the queue, as on any start.
        RecoveryReport recovered = await store.RecoverAsync(3, DateTimeOffset.UtcNow, _none);
        Assert.Equal(1, recovered.Requeued);
        Assert.Equal(2, (await store.CountAsync(_none)).Queued);
    }

    [Fact]
    public async Task Migrating_again_applies_nothing()
    {
        var dialect = new SqliteDialect(NewSqliteFile());

        Assert.Equal(Migrator.Scripts(dialect).Count, await new Migrator(dialect).MigrateAsync(_none));
        Assert.Equal(0, await new Migrator(dialect).MigrateAsync(_none));
        await dialect.DisposeAsync();
    }

    [Fact]
    public async Task A_sqlite_database_newer_than_the_build_is_refused()
    {
        string connectionString = NewSqliteFile();
        await using (var store = new SqlJobStore(new SqliteDialect(connectionString)))
        {
            await store.InitializeAsync(_none);
        }
        await ExecuteAsync(new SqliteConnection(connectionString), "INSERT INTO schema_versions (version, name, applied_at) VALUES (999, '0999_future', 0);");

        await using var newer = new SqlJobStore(new SqliteDialect(connectionString));
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(_none));
        Assert.Contains("schema version 999, newer than this build", refused.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Three_replicas_starting_at_once_on_an_empty_database_migrate_it_once()
    {
        string database = await postgres.CreateDatabaseAsync();
        PostgresDialect[] replicas = [new(database), new(database), new(database)];

        int[] applied = await Task.WhenAll(replicas.Select(r => Task.Run(() => new Migrator(r).MigrateAsync(_none))));

        int scripts = Migrator.Scripts(replicas[0]).Count;
        Assert.Equal(scripts, applied.Sum());
        Assert.Equal(scripts, applied.Max()); // one replica did all of it, the others found it done
        Assert.Equal(Migrator.Scripts(replicas[0]).Select(v => v.Version), await VersionsAsync(new NpgsqlConnection(database)));
        foreach (PostgresDialect replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_postgres_database_from_before_migrations_is_adopted_with_its_jobs()
    {
        string database = await postgres.CreateDatabaseAsync();
        // The tables as the releases before migrations made them, and a job in them, with no version table.
        await ExecuteAsync(new NpgsqlConnection(database), PostgresSchemaBeforeMigrations);
        await ExecuteAsync(new NpgsqlConnection(database), """
            INSERT INTO jobs (id, status, created_at, request, attempts) VALUES ('old-job', 'queued', 1, '{"dataset":{"seed":1}}', 0);
            """);
        await using var store = new SqlJobStore(new PostgresDialect(database));

        await store.InitializeAsync(_none);

        Assert.Equal(1, (await store.GetAsync("old-job", _none))!.Request.Dataset!.Seed);
        Assert.Equal(Migrator.Scripts(new PostgresDialect(database)).Select(v => v.Version), await VersionsAsync(new NpgsqlConnection(database)));
    }

    [PostgresFact]
    public async Task A_postgres_database_newer_than_the_build_is_refused()
    {
        string database = await postgres.CreateDatabaseAsync();
        await using (var store = new SqlJobStore(new PostgresDialect(database)))
        {
            await store.InitializeAsync(_none);
        }
        await ExecuteAsync(new NpgsqlConnection(database), "INSERT INTO schema_versions (version, name, applied_at) VALUES (999, '0999_future', 0);");

        await using var newer = new SqlJobStore(new PostgresDialect(database));
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(_none));
        Assert.Contains("newer than this build", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>What <c>PostgresJobStore.InitializeAsync</c> created before migrations existed (commit f709b5e), triggers included.</summary>
    private const string PostgresSchemaBeforeMigrations = """
        CREATE TABLE IF NOT EXISTS jobs (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, status text NOT NULL,
            created_at bigint NOT NULL, started_at bigint, finished_at bigint, request text NOT NULL, warm_start text,
            result text, samples text, error text, attempts integer NOT NULL DEFAULT 0, idempotency_key text UNIQUE,
            request_hash text, lease_owner text, lease_until bigint);
        CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq);
        CREATE TABLE IF NOT EXISTS epoch_losses (
            job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, epoch integer NOT NULL,
            loss double precision NOT NULL, PRIMARY KEY (job_id, epoch));
        CREATE OR REPLACE FUNCTION linreg_job_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_notify('linreg_job_changes', to_jsonb(NEW) ->> TG_ARGV[0]);
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER jobs_changed AFTER UPDATE OF status, attempts ON jobs FOR EACH ROW
            WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.attempts IS DISTINCT FROM NEW.attempts)
            EXECUTE FUNCTION linreg_job_changed('id');
        CREATE TRIGGER epoch_losses_changed AFTER INSERT OR UPDATE ON epoch_losses FOR EACH ROW
            EXECUTE FUNCTION linreg_job_changed('job_id');
        """;

    public void Dispose() => _directory.Dispose();

    private string NewSqliteFile() =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N") + ".db") }.ToString();

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<int>> VersionsAsync(DbConnection connection)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM schema_versions ORDER BY version;";
            var versions = new List<int>();
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
            return versions;
        }
    }
}
