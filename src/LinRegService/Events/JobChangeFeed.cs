using System.Threading.Channels;
using LinRegService.Storage;

namespace LinRegService.Events;

/// <summary>
/// The in-process fan-out of "job X changed" to the event streams watching X. Each watch holds a
/// one-slot channel, so a burst of changes while a stream writes collapses into one re-read, and a
/// publisher never waits for a slow client.
/// </summary>
public sealed class JobChangeFeed : IJobChangeSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<JobWatch>> _watches = new(StringComparer.Ordinal);

    /// <summary>Open watches over all jobs (0 once every stream has ended).</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Values.SelectMany(list => list).Distinct().Count();
            }
        }
    }

    /// <summary>Starts watching job <paramref name="id"/>; dispose the watch to stop.</summary>
    public JobWatch Watch(string id) => Watch([id]);

    /// <summary>Starts watching every job of <paramref name="ids"/> at once (a sweep's): a change of any signals the one watch.</summary>
    public JobWatch Watch(IReadOnlyList<string> ids)
    {
        var watch = new JobWatch(this, ids);
        lock (_gate)
        {
            foreach (string id in ids)
            {
                if (!_watches.TryGetValue(id, out List<JobWatch>? list))
                {
                    _watches[id] = list = [];
                }
                list.Add(watch);
            }
        }
        return watch;
    }

    public void JobChanged(string id)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(id, out List<JobWatch>? list))
            {
                foreach (JobWatch watch in list)
                {
                    watch.Signal();
                }
            }
        }
    }

    public void ChangesMayBeMissed()
    {
        lock (_gate)
        {
            foreach (JobWatch watch in _watches.Values.SelectMany(list => list).Distinct())
            {
                watch.Signal();
            }
        }
    }

    internal void Remove(JobWatch watch)
    {
        lock (_gate)
        {
            foreach (string id in watch.JobIds)
            {
                if (_watches.TryGetValue(id, out List<JobWatch>? list) && list.Remove(watch) && list.Count == 0)
                {
                    _watches.Remove(id);
                }
            }
        }
    }
}

/// <summary>One stream's interest in one job, or in each job of a sweep.</summary>
public sealed class JobWatch : IDisposable
{
    private readonly JobChangeFeed _feed;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private int _disposed;

    internal JobWatch(JobChangeFeed feed, IReadOnlyList<string> jobIds)
    {
        _feed = feed;
        JobIds = jobIds;
    }

    /// <summary>The jobs watched.</summary>
    public IReadOnlyList<string> JobIds { get; }

    internal void Signal() => _signals.Writer.TryWrite(true);

    /// <summary>Waits until the job changed (true) or <paramref name="timeout"/> passed (false).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_signals.Reader.TryRead(out _))
        {
            return true;
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _signals.Reader.ReadAsync(timer.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _feed.Remove(this);
        }
    }
}
