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

    private static readonly KeptPool<nint> _kept = new(MaxKeptBytes, TimeSpan.FromSeconds(30), (pointer, bytes) => Free((void*)pointer, (nuint)bytes));

    /// <summary>How long an unused block is kept.</summary>
    public static TimeSpan KeepFor => _kept.KeepFor;

    /// <summary>Bytes kept right now (for tests and diagnostics).</summary>
    public static long KeptBytes => _kept.KeptBytes;

    /// <summary>A kept block of at least <paramref name="bytes"/> and at most a quarter more, or null.</summary>
    public static void* TryTake(nuint bytes, out nuint blockBytes)
    {
        long wanted = (long)bytes;
        if (_kept.TryTake((_, size) => size >= wanted && size <= wanted + (wanted / 4), out nint pointer, out long taken))
        {
            blockBytes = (nuint)taken;
            return (void*)pointer;
        }
        blockBytes = 0;
        return null;
    }

    /// <summary>Keeps <paramref name="pointer"/> for a later run, or frees it when the pool is full.</summary>
    public static void Return(void* pointer, nuint bytes)
    {
        if (!_kept.TryKeep((nint)pointer, (long)bytes))
        {
            Free(pointer, bytes);
        }
    }

    /// <summary>Frees the blocks unused for <see cref="KeepFor"/>, or every block when <paramref name="force"/>.</summary>
    public static void Trim(bool force) => _kept.Trim(force);

    private static void Free(void* pointer, nuint bytes)
    {
        NativeMemory.AlignedFree(pointer);
        GC.RemoveMemoryPressure((long)bytes);
    }
}
