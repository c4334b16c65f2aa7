using LinRegService.Hosting;
using LinRegService.Storage;

namespace LinRegService.Queue;

/// <summary>
/// Hears the other replicas through the store (PostgreSQL's LISTEN/NOTIFY): a job queued anywhere
/// wakes this replica's idle workers, and a job changed anywhere reaches this replica's event
/// streams. The workers' slow poll and the streams' fallback re-read cover a lost connection until
/// it is back. Does nothing for a store no other process uses.
/// </summary>
internal sealed class ReplicaWakeups(IJobStore store, JobSignal signal, ILogger<ReplicaWakeups> logger, IJobChangeSink? changes = null)
    : BackgroundService, IStoreListener
{
    private static readonly TimeSpan _reconnectDelay = TimeSpan.FromSeconds(1);

    public void WorkQueued() => signal.Notify();

    public void JobChanged(string id) => changes?.JobChanged(id);

    public void Reconnected()
    {
        signal.Notify(); // anything queued while we were not listening
        changes?.ChangesMayBeMissed(); // and anything that changed meanwhile
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsShared)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.ListenAsync(this, stoppingToken);
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
