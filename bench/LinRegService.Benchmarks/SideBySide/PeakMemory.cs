namespace LinRegService.Benchmarks.SideBySide;

/// <summary>The process's peak resident set (VmHWM), the same figure Python's ru_maxrss reports.</summary>
internal static class PeakMemory
{
    public static long Bytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return -1;
    }
}
