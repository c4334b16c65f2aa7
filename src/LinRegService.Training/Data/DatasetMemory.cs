using LinRegService.Training.Kernels;

namespace LinRegService.Training.Data;

/// <summary>
/// Keeps the feature and label arrays of finished generated runs for the next run of the same
/// shape. A new array of hundreds of megabytes pays a page fault and the kernel's zeroing on the
/// first write to each page (docs/benchmarks.md measures it), which a service that runs the same
/// shape again and again (a lab's repeated runs, the jobs of a sweep over one dataset) would pay
/// every time. Arrays of at least <see cref="MinKeptBytes"/> are kept, up to 2 GiB, each for 30 s
/// after its last use; another shape allocates anew.
/// </summary>
internal static class DatasetMemory
{
    public const long MinKeptBytes = 1L << 20;

    private static readonly KeptPool<Dataset> _kept = new(2L << 30, TimeSpan.FromSeconds(30));

    /// <summary>Bytes kept right now.</summary>
    public static long KeptBytes => _kept.KeptBytes;

    /// <summary>Arrays for <paramref name="examples"/> rows of <paramref name="featureCount"/> features: kept ones of that shape, or new uninitialized ones.</summary>
    public static (float[] Features, float[] Labels) Rent(int examples, int featureCount)
    {
        int values = checked(examples * featureCount);
        if (_kept.TryTake((kept, _) => kept.Examples == examples && kept.Features.Length == values, out Dataset data, out _))
        {
            return (data.Features, data.Labels);
        }
        return (GC.AllocateUninitializedArray<float>(values), GC.AllocateUninitializedArray<float>(examples));
    }

    /// <summary>Keeps <paramref name="data"/>'s arrays for the next run; the caller must hold no other reference to them.</summary>
    public static void Return(Dataset data)
    {
        long bytes = Dataset.BytesFor(data.Examples, data.FeatureCount);
        if (bytes >= MinKeptBytes)
        {
            _ = _kept.TryKeep(data, bytes); // refused when full: the garbage collector has it
        }
    }

    /// <summary>Lets go of the arrays unused for 30 s, or of all when <paramref name="force"/>.</summary>
    public static void Trim(bool force) => _kept.Trim(force);
}
