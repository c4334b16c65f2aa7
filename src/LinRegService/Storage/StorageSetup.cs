using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LinRegService.Storage;

/// <summary>Settings of the job store (section <c>Storage</c>, plus <c>ConnectionStrings:Jobs</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Connections used at once besides requests (the workers): sizes a PostgreSQL replica's pool. Set by the queue.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;
}

/// <summary>Registers the job store chosen by <c>Storage:Provider</c> and migrates its schema at start.</summary>
internal static class StorageSetup
{
    /// <summary>At most this many finished jobs stay in memory (a few KB each with the default samples).</summary>
    private const long FinishedJobsInMemory = 10_000;

    public static IServiceCollection AddJobStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        string provider = configuration[$"{StorageOptions.Section}:Provider"] ?? "sqlite"; // or "postgres"
        string? connectionString = configuration.GetConnectionString("Jobs");
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    string file = Path.Combine(environment.ContentRootPath, "data", "jobs.db");
                    connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
                }
                // One process owns the file: finished jobs can be served from memory, and every change
                // is told in-process to the event streams (optional: without them nobody listens).
                services.AddSingleton(sp => new StoreDatabase(new SqliteDialect(connectionString, sp.GetService<IJobChangeSink>())));
                services.AddSingleton<IJobStore>(sp => new SqlJobStore(sp.GetRequiredService<StoreDatabase>().Dialect, FinishedJobsInMemory));
                break;
            case "postgres":
            case "postgresql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider 'postgres' needs a connection string in ConnectionStrings:Jobs "
                        + "(e.g. Host=db;Database=linreg;Username=linreg;Password=...).");
                }
                // The job store is built by the container, so the container disposes it (and the dialect's pool) at shutdown.
                services.AddSingleton(sp => new StoreDatabase(new PostgresDialect(
                    PostgresDialect.SizedPool(connectionString, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Workers))));
                services.AddSingleton<IJobStore>(sp => new SqlJobStore(sp.GetRequiredService<StoreDatabase>().Dialect));
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'.");
        }
        services.AddHostedService<StoreInitializer>();
        return services;
    }
}

/// <summary>
/// The one dialect the job store and the features' own stores (keys) share. Not disposable itself: the job store disposes the
/// dialect (as it does when tests build one alone), so the container does not dispose it twice.
/// </summary>
internal sealed class StoreDatabase(SqlDialect dialect)
{
    public SqlDialect Dialect { get; } = dialect;
}

/// <summary>Migrates the schema before the workers start and before the server takes requests.</summary>
internal sealed class StoreInitializer(IJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
