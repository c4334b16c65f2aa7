using LinRegService.Hosting;
using LinRegService.Queue;
using Npgsql;

namespace LinRegService.Storage;

/// <summary>
/// Listens on PostgreSQL's two channels: <c>linreg_jobs</c> wakes this replica's idle workers when
/// any replica queues a job, so a job starts at once on an idle cluster; <c>linreg_job_changes</c>
/// tells this replica's event streams that a job changed wherever it runs. The workers' slow poll
/// and the streams' fallback re-read cover a lost connection until it is back.
/// </summary>
internal sealed class PostgresWakeups(IJobStore store, JobSignal signal, ILogger<PostgresWakeups> logger, IJobChangeSink? changes = null)
    : BackgroundService
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
                connection.Notification += (_, notification) => Dispatch(notification);
                await using (NpgsqlCommand listen = new($"LISTEN {PostgresJobStore.WakeChannel}; LISTEN {PostgresJobStore.ChangeChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                signal.Notify(); // anything queued while we were not listening
                changes?.ChangesMayBeMissed(); // and anything that changed meanwhile
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

    private void Dispatch(NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel == PostgresJobStore.ChangeChannel)
        {
            changes?.JobChanged(notification.Payload);
        }
        else
        {
            signal.Notify();
        }
    }
}
