using System.Runtime.InteropServices;

namespace LinRegService.Training.Kernels;

/// <summary>
/// Keeps the large buffers of finished runs for the next ones. A new buffer of hundreds of
/// megabytes costs a page fault and the kernel's zeroing for every huge page on its first touch,
/// which a service running job after job pays again and again; a kept buffer is already mapped.
/// Blocks are reused only for a request of nearly their size, at most <see cref="MaxKeptBytes"/>
/// are kept, and whatever is left unused for <see cref="KeepFor"/> goes back to the system.
/// </summary>
internal static unsafe class NativeBlockPool
{
    /// <summary>The most memory kept between runs.</summary>
    public const long MaxKeptBytes = 2L << 30;

    /// <summary>How long an unused block is kept.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(30);

    private static readonly List<(nint Pointer, nuint Bytes, long ReturnedAt)> _kept = [];
    private static readonly Lock _gate = new();
    private static readonly Timer _trimmer = new(_ => Trim(force: false));
    private static long _keptBytes;

    /// <summary>Bytes kept right now (for tests and diagnostics).</summary>
    public static long KeptBytes
    {
        get
        {
            lock (_gate)
            {
                return _keptBytes;
            }
        }
    }

    /// <summary>A kept block of at least <paramref name="bytes"/> and at most a quarter more, or null.</summary>
    public static void* TryTake(nuint bytes, out nuint blockBytes)
    {
        lock (_gate)
        {
            int best = -1;
            for (int i = 0; i < _kept.Count; i++)
            {
                nuint size = _kept[i].Bytes;
                if (size >= bytes && size <= bytes + (bytes / 4) && (best < 0 || size < _kept[best].Bytes))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                blockBytes = 0;
                return null;
            }
            (nint pointer, nuint taken, _) = _kept[best];
            _kept.RemoveAt(best);
            _keptBytes -= (long)taken;
            blockBytes = taken;
            return (void*)pointer;
        }
    }

    /// <summary>Keeps <paramref name="pointer"/> for a later run, or frees it when the pool is full.</summary>
    public static void Return(void* pointer, nuint bytes)
    {
        lock (_gate)
        {
            if (_keptBytes + (long)bytes <= MaxKeptBytes)
            {
                _kept.Add(((nint)pointer, bytes, Environment.TickCount64));
                _keptBytes += (long)bytes;
                _trimmer.Change(KeepFor, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        Free(pointer, bytes);
    }

    /// <summary>Frees the blocks unused for <see cref="KeepFor"/>, or every block when <paramref name="force"/>.</summary>
    public static void Trim(bool force)
    {
        List<(nint Pointer, nuint Bytes, long ReturnedAt)> expired;
        lock (_gate)
        {
            long cutoff = Environment.TickCount64 - (long)KeepFor.TotalMilliseconds;
            expired = [.. _kept.Where(k => force || k.ReturnedAt <= cutoff)];
            _kept.RemoveAll(k => force || k.ReturnedAt <= cutoff);
            _keptBytes -= expired.Sum(k => (long)k.Bytes);
            if (_kept.Count > 0)
            {
                _trimmer.Change(KeepFor, Timeout.InfiniteTimeSpan);
            }
        }
        foreach ((nint pointer, nuint bytes, _) in expired)
        {
            Free((void*)pointer, bytes);
        }
    }

    private static void Free(void* pointer, nuint bytes)
    {
        NativeMemory.AlignedFree(pointer);
        GC.RemoveMemoryPressure((long)bytes);
    }
}
