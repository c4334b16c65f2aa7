using System.Collections.Concurrent;

namespace LinRegService.Queue;

/// <summary>The jobs this process is running, so a cancel request reaches the training loop at once.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, RunningJob> _jobs = new();

    public RunningJob Start(string id, CancellationToken stopping)
    {
        var job = new RunningJob(CancellationTokenSource.CreateLinkedTokenSource(stopping));
        _jobs[id] = job;
        return job;
    }

    public void Finish(string id)
    {
        if (_jobs.TryRemove(id, out RunningJob? job))
        {
            job.Dispose();
        }
    }

    /// <summary>Asks a running job to stop; false if it does not run here.</summary>
    public bool RequestCancel(string id)
    {
        if (!_jobs.TryGetValue(id, out RunningJob? job))
        {
            return false;
        }
        job.RequestCancel();
        return true;
    }

    public int Count => _jobs.Count;
}

/// <summary>One running job's cancellation: by a user, by its time limit, or by the host stopping.</summary>
public sealed class RunningJob(CancellationTokenSource source) : IDisposable
{
    private int _canceledByUser;
    private int _timedOut;
    private int _leaseLost;
    private ITimer? _timer;

    public CancellationToken Token => source.Token;

    public bool CanceledByUser => Volatile.Read(ref _canceledByUser) == 1;

    public bool TimedOut => Volatile.Read(ref _timedOut) == 1;

    /// <summary>Another replica holds the job now: stop without recording anything.</summary>
    public bool LeaseLost => Volatile.Read(ref _leaseLost) == 1;

    public void LoseLease()
    {
        Volatile.Write(ref _leaseLost, 1);
        CancelQuietly();
    }

    public void RequestCancel()
    {
        Volatile.Write(ref _canceledByUser, 1);
        CancelQuietly();
    }

    /// <summary>Cancels the job when <paramref name="limit"/> has passed.</summary>
    public void LimitRuntime(TimeSpan limit, TimeProvider clock)
    {
        _timer = clock.CreateTimer(_ =>
        {
            Volatile.Write(ref _timedOut, 1);
            CancelQuietly();
        }, null, limit, Timeout.InfiniteTimeSpan);
    }

    private void CancelQuietly()
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the job finished meanwhile
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        source.Dispose();
    }
}
