namespace LinRegService.Training.Random;

/// <summary>
/// Derives independent 64-bit stream keys from a user seed, so that every chunk, epoch and
/// purpose gets its own random stream and results never depend on the order work is scheduled.
/// </summary>
internal static class StreamKey
{
    /// <summary>Purposes a stream can serve; part of the key so two purposes never share a stream.</summary>
    public enum Purpose : ulong
    {
        DataChunk = 1,
        InitialWeights = 2,
        BucketAssignment = 3,
        LocalPermutation = 4,
        OutlierRows = 5,
    }

    /// <summary>SplitMix64's output step: a strong 64-bit mixer.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The SplitMix64 sequence: advances the state and returns the next value.</summary>
    public static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>A key for (seed, purpose, a, b); distinct inputs give unrelated keys.</summary>
    public static ulong For(long seed, Purpose purpose, long a = 0, long b = 0)
    {
        ulong key = Mix((ulong)seed + 0x9E3779B97F4A7C15UL);
        key = Mix(key ^ ((ulong)purpose * 0xD1B54A32D192ED03UL));
        key = Mix(key ^ ((ulong)a * 0x8CB92BA72F3D8DD7UL));
        return Mix(key ^ ((ulong)b * 0xABC98388FB8FAC03UL));
    }
}
