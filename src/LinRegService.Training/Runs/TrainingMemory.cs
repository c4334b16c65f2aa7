using LinRegService.Training.Data;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Runs;

/// <summary>The training buffers and generated rows kept between runs (for the next run's speed), as a caller that budgets memory sees them.</summary>
public static class TrainingMemory
{
    /// <summary>Bytes of finished runs' buffers and rows kept for the next runs.</summary>
    public static long CachedBytes => NativeBlockPool.KeptBytes + DatasetMemory.KeptBytes;

    /// <summary>Frees every kept buffer and lets go of every kept row array now (the next large run pays its first touch again).</summary>
    public static void ReleaseCached()
    {
        NativeBlockPool.Trim(force: true);
        if (DatasetMemory.KeptBytes > 0)
        {
            DatasetMemory.Trim(force: true);
            // Managed arrays: given back to the system only once collected, and the caller needs the room now (rare: over budget).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
