using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LinRegService.Training.Kernels;

/// <summary>
/// Walks a memory range a few cache lines per call, asking the CPU to fetch them into cache:
/// while one shuffle bucket is trained, the next one streams in, so its random-order visit finds
/// its rows in cache. A no-op where the prefetch instruction does not exist.
/// </summary>
internal unsafe struct PrefetchCursor
{
    private const int LineBytes = 64;
    private byte* _next;
    private readonly byte* _end;
    private readonly int _linesPerStep;

    /// <summary>Covers [start, start + bytes) in about <paramref name="steps"/> calls of <see cref="Step"/>.</summary>
    public PrefetchCursor(ref float start, long bytes, int steps)
    {
        _next = (byte*)Unsafe.AsPointer(ref start);
        _end = _next + bytes;
        _linesPerStep = (int)Math.Clamp(((bytes / LineBytes) + steps - 1) / Math.Max(1, steps), 1, 16) + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if (Sse.IsSupported && _next < _end)
        {
            for (int i = 0; i < _linesPerStep; i++)
            {
                Sse.Prefetch0(_next);
                _next += LineBytes;
            }
        }
    }
}
