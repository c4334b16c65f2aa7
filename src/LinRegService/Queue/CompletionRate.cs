namespace LinRegService.Queue;

/// <summary>
/// How often this process's workers finish jobs, over the last <see cref="Window"/>: a queue place
/// frees each time a worker takes the next job, which it does when it finishes one. Turns that
/// rate into the <c>Retry-After</c> of a full queue: the mean time between completions; when none
/// came within the window while jobs ran, at least as long as they have run without one; when
/// nothing runs, no estimate (the floor).
/// </summary>
public sealed class CompletionRate(TimeProvider clock)
{
    /// <summary>How far back completions count.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The longest Retry-After sent (an hour); the shortest is a second.</summary>
    public const int MaxSeconds = 3600;

    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly DateTimeOffset _since = clock.GetUtcNow();
    private DateTimeOffset? _last;
    private DateTimeOffset _busySince;
    private int _running;

    /// <summary>A worker started a job.</summary>
    public void Started()
    {
        DateTimeOffset now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_running++ == 0)
            {
                _busySince = now;
            }
        }
    }

    /// <summary>A job stopped; <paramref name="completed"/> when it ended here (succeeded, failed, canceled) and its worker takes the next.</summary>
    public void Ended(bool completed)
    {
        DateTimeOffset now = clock.GetUtcNow();
        lock (_gate)
        {
            _running = Math.Max(0, _running - 1);
            if (completed)
            {
                _recent.Enqueue(now);
                _last = now;
                Forget(now);
            }
        }
    }

    /// <summary>Seconds until a queue place is likely to free, at least <paramref name="floorSeconds"/>, within [1, <see cref="MaxSeconds"/>].</summary>
    public int RetryAfterSeconds(int floorSeconds)
    {
        DateTimeOffset now = clock.GetUtcNow();
        double seconds = 0;
        lock (_gate)
        {
            Forget(now);
            if (_recent.Count > 0)
            {
                // Only as much of the window as this process has seen: a young one has watched less than a minute.
                TimeSpan watched = now - _since < Window ? now - _since : Window;
                seconds = watched.TotalSeconds / _recent.Count;
            }
            else if (_running > 0)
            {
                DateTimeOffset lastProgress = _last is { } last && last > _busySince ? last : _busySince;
                seconds = (now - lastProgress).TotalSeconds;
            }
        }
        return (int)Math.Clamp(Math.Ceiling(Math.Max(seconds, floorSeconds)), 1, MaxSeconds);
    }

    private void Forget(DateTimeOffset now)
    {
        while (_recent.TryPeek(out DateTimeOffset oldest) && now - oldest > Window)
        {
            _recent.Dequeue();
        }
    }
}
