using LinRegService.Training.Runs;

namespace LinRegService.Queue;

/// <summary>
/// The memory this process's running jobs may take (<c>Jobs:MemoryBudgetBytes</c>), held as the
/// sum of their estimates. A worker claims under <see cref="ClaimAsync"/>: one claim at a time, so
/// the room it claims with is still there when it reserves. A job always fits when nothing else
/// runs (it passed <c>Jobs:MaxJobBytes</c> at submission, and must not wait forever).
/// </summary>
public sealed class MemoryAdmission(long budgetBytes) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private long _reserved;

    public long BudgetBytes => budgetBytes;

    /// <summary>The estimates of the jobs running now, added up.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="claim"/> with the room left (unlimited when nothing runs) and reserves
    /// the estimate of the job it returns; dispose the reservation when the job ends.
    /// </summary>
    public async Task<(T? Job, Reservation? Reservation)> ClaimAsync<T>(Func<long, Task<T?>> claim, Func<T, long> estimate, CancellationToken cancellationToken)
        where T : class
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            long room;
            lock (_gate)
            {
                room = _reserved == 0 ? long.MaxValue : Math.Max(0, budgetBytes - _reserved);
            }
            if (await claim(room) is not { } job)
            {
                return (null, null);
            }
            long bytes = estimate(job);
            lock (_gate)
            {
                _reserved += bytes;
            }
            // Training buffers kept for the next run are memory too: let them go when they would not fit beside the jobs.
            if (ReservedBytes + TrainingMemory.CachedBytes > budgetBytes)
            {
                TrainingMemory.ReleaseCached();
            }
            return (job, new Reservation(this, bytes));
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _reserved -= bytes;
        }
    }

    /// <summary>A running job's share of the budget.</summary>
    public sealed class Reservation(MemoryAdmission owner, long bytes) : IDisposable
    {
        private int _released;

        public long Bytes => bytes;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(bytes);
            }
        }
    }
}
