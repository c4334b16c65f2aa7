using LinRegService.Hosting;
using LinRegService.Queue;
using Npgsql;

namespace LinRegService.Storage;

/// <summary>
/// Listens on PostgreSQL's <c>linreg_jobs</c> channel and wakes this replica's idle workers when
/// any replica queues a job, so a job starts at once on an idle cluster; the workers' slow poll
/// covers a lost connection until it is back.
/// </summary>
internal sealed class PostgresWakeups(IJobStore store, JobSignal signal, ILogger<PostgresWakeups> logger) : BackgroundService
{
    private static readonly TimeSpan _reconnectDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not PostgresJobStore postgres)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await postgres.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                await using (NpgsqlCommand listen = new($"LISTEN {PostgresJobStore.WakeChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                signal.Notify(); // anything queued while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.WakeupsLost(error, _reconnectDelay);
                await Task.Delay(_reconnectDelay, stoppingToken);
            }
        }
    }
}
