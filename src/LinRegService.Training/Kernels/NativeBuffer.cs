using System.Runtime.InteropServices;

namespace LinRegService.Training.Kernels;

/// <summary>
/// A large, 2 MiB-aligned native buffer that asks Linux for transparent huge pages before its
/// first touch: the shuffle scatters rows across the whole buffer, and huge pages spare it
/// most of the TLB misses (about a third of a random-access epoch, measured on this kind of machine).
/// Its memory comes from, and goes back to, <see cref="NativeBlockPool"/>.
/// </summary>
internal sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private void* _pointer;

    public NativeBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint rounded = (nuint)BytesFor(length);
        _pointer = NativeBlockPool.TryTake(rounded, out nuint kept);
        if (_pointer != null)
        {
            _bytes = kept; // already mapped, on huge pages where the first owner got them
            Interlocked.Add(ref NativeBuffers.ObtainedBytes, (long)kept);
            return;
        }
        _pointer = NativeMemory.AlignedAlloc(rounded, HugePage);
        if (OperatingSystem.IsLinux() && rounded >= HugePage)
        {
            _ = LinuxMemory.Madvise(_pointer, rounded, LinuxMemory.HugePageAdvice); // advisory: a refusal only costs speed
        }
        GC.AddMemoryPressure((long)rounded);
        _bytes = rounded;
        Interlocked.Add(ref NativeBuffers.ObtainedBytes, (long)rounded);
    }

    /// <summary>The memory a buffer of <paramref name="length"/> elements takes: whole huge pages (a kept block may be up to a quarter more).</summary>
    public static long BytesFor(long length)
    {
        long bytes = Math.Max(1, length) * sizeof(T);
        return (bytes + (long)HugePage - 1) / (long)HugePage * (long)HugePage;
    }

    private readonly nuint _bytes;

    /// <summary>Number of elements.</summary>
    public long Length { get; }

    /// <summary>A reference to the first element.</summary>
    public ref T First => ref *(T*)_pointer;

    /// <summary>The elements [start, start + length).</summary>
    public Span<T> Slice(long start, int length) => new((T*)_pointer + start, length);

    /// <summary>Hands the memory to <see cref="NativeBlockPool"/> for the next run (which frees it when unused).</summary>
    public void Dispose()
    {
        if (_pointer != null)
        {
            NativeBlockPool.Return(_pointer, _bytes);
            _pointer = null;
        }
    }
}

/// <summary>What every <see cref="NativeBuffer{T}"/> has taken, for tests that measure a run's memory.</summary>
internal static class NativeBuffers
{
    /// <summary>Bytes of native memory handed to buffers since the process started (fresh or kept blocks).</summary>
    public static long ObtainedBytes;
}

/// <summary>The one libc call the buffers need.</summary>
internal static unsafe partial class LinuxMemory
{
    /// <summary>MADV_HUGEPAGE.</summary>
    public const int HugePageAdvice = 14;

    [LibraryImport("libc", EntryPoint = "madvise")]
    public static partial int Madvise(void* address, nuint length, int advice);
}
