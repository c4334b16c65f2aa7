using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace LinRegService.Benchmarks.SideBySide;

/// <summary>
/// Measures this machine's sequential read and copy bandwidth in the harness's own run, on all
/// cores, over a buffer far larger than the caches. The floor of an epoch is built from these:
/// the shuffle's scatter is one copy of the rows, the in-cache training pass one more read.
/// </summary>
internal static unsafe class BandwidthWorker
{
    private const int Trials = 7;

    public static int Run(IReadOnlyList<string> args)
    {
        long bytes = (args.Count > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1024) << 20;
        int threads = Environment.ProcessorCount;
        nuint size = (nuint)bytes;
        byte* source = (byte*)NativeMemory.AlignedAlloc(size, 4096);
        byte* target = (byte*)NativeMemory.AlignedAlloc(size, 4096);
        try
        {
            for (long offset = 0; offset < bytes; offset += int.MaxValue)
            {
                int length = (int)Math.Min(int.MaxValue, bytes - offset);
                new Span<byte>(source + offset, length).Fill(1);
                new Span<byte>(target + offset, length).Fill(2);
            }
            double readSeconds = Best(() => Parallel.For(0, threads, part => ReadPart(source, bytes, part, threads)));
            double copySeconds = Best(() => Parallel.For(0, threads, part => CopyPart(source, target, bytes, part, threads)));
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bytes"] = bytes,
                ["threads"] = threads,
                ["read_gbs"] = bytes / readSeconds / 1e9,
                ["copy_gbs"] = bytes / copySeconds / 1e9,
            }));
        }
        finally
        {
            NativeMemory.AlignedFree(source);
            NativeMemory.AlignedFree(target);
        }
        return 0;
    }

    private static double Best(Action pass)
    {
        double best = double.MaxValue;
        for (int trial = 0; trial < Trials; trial++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static (long Start, long Length) Part(long bytes, int part, int parts)
    {
        long share = bytes / parts / 64 * 64;
        long start = share * part;
        return (start, part == parts - 1 ? bytes - start : share);
    }

    /// <summary>Four independent Vector256 sums, so the loads, not the adds, set the pace.</summary>
    private static void ReadPart(byte* buffer, long bytes, int part, int parts)
    {
        (long start, long length) = Part(bytes, part, parts);
        float* p = (float*)(buffer + start);
        long count = length / sizeof(float);
        Vector256<float> a = default, b = default, c = default, d = default;
        long i = 0;
        for (; i + 32 <= count; i += 32)
        {
            a += Vector256.Load(p + i);
            b += Vector256.Load(p + i + 8);
            c += Vector256.Load(p + i + 16);
            d += Vector256.Load(p + i + 24);
        }
        Sink = Vector256.Sum(a + b + c + d);
    }

    private static void CopyPart(byte* source, byte* target, long bytes, int part, int parts)
    {
        (long start, long length) = Part(bytes, part, parts);
        Buffer.MemoryCopy(source + start, target + start, length, length);
    }

    /// <summary>Keeps the read loop's result alive.</summary>
    public static float Sink { get; private set; }
}
