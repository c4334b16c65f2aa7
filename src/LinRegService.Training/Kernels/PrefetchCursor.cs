using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LinRegService.Training.Kernels;

/// <summary>
/// Walks memory a few cache lines per call, asking the CPU to fetch them into cache: while one
/// shuffle bucket is trained, the next one streams in, so its random-order visit finds its rows
/// in cache. The memory is one range, or a bucket's blocks of a native arena in order. A no-op
/// where the prefetch instruction does not exist. The lines go to L2, not L1: what is fetched
/// ahead is a whole block or bucket, more than L1 holds, and fetched into L1 it pushed out the rows
/// being worked on (docs/benchmarks.md, "Issue 17, fetching into L2").
/// </summary>
internal unsafe ref struct PrefetchCursor
{
    private const int LineBytes = 64;
    private readonly byte* _arena;
    private readonly ReadOnlySpan<int> _blocks;
    private readonly long _blockBytes;
    private readonly long _lastBlockBytes;
    private readonly int _linesPerStep;
    private int _block;
    private byte* _next;
    private byte* _end;

    /// <summary>Covers [start, start + bytes) in about <paramref name="steps"/> calls of <see cref="Step"/>.</summary>
    public PrefetchCursor(ref float start, long bytes, int steps)
    {
        _next = (byte*)Unsafe.AsPointer(ref start);
        _end = _next + bytes;
        _linesPerStep = LinesPerStep(bytes, steps);
    }

    /// <summary>
    /// Covers <paramref name="blocks"/> of the native memory at <paramref name="arena"/> (block b at
    /// b·<paramref name="blockBytes"/>), the last one only its first <paramref name="lastBlockBytes"/>,
    /// in about <paramref name="steps"/> calls of <see cref="Step"/>.
    /// </summary>
    public PrefetchCursor(ref float arena, ReadOnlySpan<int> blocks, long blockBytes, long lastBlockBytes, int steps)
    {
        _arena = (byte*)Unsafe.AsPointer(ref arena);
        _blocks = blocks;
        _blockBytes = blockBytes;
        _lastBlockBytes = lastBlockBytes;
        _block = -1;
        _linesPerStep = blocks.IsEmpty ? 1 : LinesPerStep(((blocks.Length - 1) * blockBytes) + lastBlockBytes, steps);
        _ = NextBlock();
    }

    /// <summary>Four <see cref="Step"/>s: the feeds take rows four at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StepFour()
    {
        Step();
        Step();
        Step();
        Step();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if (!Sse.IsSupported || _linesPerStep == 0) // the default cursor: nothing to fetch
        {
            return;
        }
        for (int i = 0; i < _linesPerStep; i++)
        {
            if (_next >= _end && !NextBlock())
            {
                return;
            }
            Sse.Prefetch1(_next);
            _next += LineBytes;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called from the hot loops: a job is over before tiering would optimize it
    private bool NextBlock()
    {
        if (_arena == null || ++_block >= _blocks.Length)
        {
            return false;
        }
        _next = _arena + (_blocks[_block] * _blockBytes);
        _end = _next + (_block == _blocks.Length - 1 ? _lastBlockBytes : _blockBytes);
        return true;
    }

    private static int LinesPerStep(long bytes, int steps) => (int)Math.Clamp(((bytes / LineBytes) + steps - 1) / Math.Max(1, steps), 1, 16) + 1;
}
