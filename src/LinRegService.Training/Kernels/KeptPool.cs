namespace LinRegService.Training.Kernels;

/// <summary>
/// Large pieces of memory kept after a run for the next one, up to a number of bytes, each for a
/// while after its last use; what expires is handed to a callback (to free native memory) or
/// simply dropped for the garbage collector. Shared by <see cref="NativeBlockPool"/> and
/// <see cref="Data.DatasetMemory"/>, which differ only in what they keep and what fits a request.
/// </summary>
internal sealed class KeptPool<T> : IDisposable
    where T : notnull
{
    private readonly List<(T Item, long Bytes, long ReturnedAt)> _kept = [];
    private readonly Lock _gate = new();
    private readonly Timer _trimmer;
    private readonly Action<T, long>? _expired;
    private long _keptBytes;
    private bool _trimPending;

    /// <param name="maxKeptBytes">The most kept at once; a return beyond it is refused.</param>
    /// <param name="keepFor">How long an unused item is kept.</param>
    /// <param name="expired">Called, outside the lock, for each item the pool lets go of.</param>
    public KeptPool(long maxKeptBytes, TimeSpan keepFor, Action<T, long>? expired = null)
    {
        MaxKeptBytes = maxKeptBytes;
        KeepFor = keepFor;
        _expired = expired;
        _trimmer = new Timer(_ => Trim(force: false));
    }

    public long MaxKeptBytes { get; }

    public TimeSpan KeepFor { get; }

    /// <summary>Bytes kept right now.</summary>
    public long KeptBytes
    {
        get
        {
            lock (_gate)
            {
                return _keptBytes;
            }
        }
    }

    /// <summary>Takes the smallest kept item that <paramref name="fits"/> (given the item and its bytes), if any.</summary>
    public bool TryTake(Func<T, long, bool> fits, out T item, out long bytes)
    {
        lock (_gate)
        {
            int best = -1;
            for (int i = 0; i < _kept.Count; i++)
            {
                if (fits(_kept[i].Item, _kept[i].Bytes) && (best < 0 || _kept[i].Bytes < _kept[best].Bytes))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                item = default!;
                bytes = 0;
                return false;
            }
            (item, bytes, _) = _kept[best];
            _kept.RemoveAt(best);
            _keptBytes -= bytes;
            return true;
        }
    }

    /// <summary>Keeps <paramref name="item"/>, or answers false when that would pass <see cref="MaxKeptBytes"/> (the caller disposes of it).</summary>
    public bool TryKeep(T item, long bytes)
    {
        lock (_gate)
        {
            if (_keptBytes + bytes > MaxKeptBytes)
            {
                return false;
            }
            _kept.Add((item, bytes, Environment.TickCount64));
            _keptBytes += bytes;
            if (!_trimPending)
            {
                // Not pushed back by each return: under steady traffic the oldest must still expire.
                _trimmer.Change(KeepFor, Timeout.InfiniteTimeSpan);
                _trimPending = true;
            }
            return true;
        }
    }

    /// <summary>Lets go of the items unused for <see cref="KeepFor"/>, or of every item when <paramref name="force"/>.</summary>
    public void Trim(bool force)
    {
        List<(T Item, long Bytes, long ReturnedAt)> expired;
        lock (_gate)
        {
            long cutoff = Environment.TickCount64 - (long)KeepFor.TotalMilliseconds;
            expired = [.. _kept.Where(k => force || k.ReturnedAt <= cutoff)];
            _kept.RemoveAll(k => force || k.ReturnedAt <= cutoff);
            _keptBytes -= expired.Sum(k => k.Bytes);
            _trimPending = _kept.Count > 0;
            if (_trimPending)
            {
                long due = _kept.Min(k => k.ReturnedAt) + (long)KeepFor.TotalMilliseconds - Environment.TickCount64;
                _trimmer.Change(TimeSpan.FromMilliseconds(Math.Max(1000, due)), Timeout.InfiniteTimeSpan);
            }
        }
        if (_expired is not null)
        {
            foreach ((T item, long bytes, _) in expired)
            {
                _expired(item, bytes);
            }
        }
    }

    /// <summary>Stops the trimming timer (the pools live as long as the process; this is for completeness).</summary>
    public void Dispose() => _trimmer.Dispose();
}
