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
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        nuint rounded = (bytes + HugePage - 1) / HugePage * HugePage;
        _pointer = NativeBlockPool.TryTake(rounded, out nuint kept);
        if (_pointer != null)
        {
            _bytes = kept; // already mapped, on huge pages where the first owner got them
            return;
        }
        _pointer = NativeMemory.AlignedAlloc(rounded, HugePage);
        if (OperatingSystem.IsLinux() && rounded >= HugePage)
        {
            _ = LinuxMemory.Madvise(_pointer, rounded, LinuxMemory.HugePageAdvice); // advisory: a refusal only costs speed
        }
        GC.AddMemoryPressure((long)rounded);
        _bytes = rounded;
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

/// <summary>The one libc call the buffers need.</summary>
internal static unsafe partial class LinuxMemory
{
    /// <summary>MADV_HUGEPAGE.</summary>
    public const int HugePageAdvice = 14;

    [LibraryImport("libc", EntryPoint = "madvise")]
    public static partial int Madvise(void* address, nuint length, int advice);
}
