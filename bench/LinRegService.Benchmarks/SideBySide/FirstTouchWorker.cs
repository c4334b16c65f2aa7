using System.Diagnostics;

namespace LinRegService.Benchmarks.SideBySide;

/// <summary>
/// Why generation is slower inside a job than in BenchmarkDotNet's loop: a job writes its X into
/// a new array, and the first write to each page of new memory costs a fault and the kernel's
/// zeroing. Times a write pass over a new 680 MB array (10,000,000×17 floats) against a second pass.
/// </summary>
internal static class FirstTouchWorker
{
    public static int Run()
    {
        const int Floats = 170_000_000;
        for (int round = 0; round < 3; round++)
        {
            float[] values = GC.AllocateUninitializedArray<float>(Floats);
            double first = TimeWritePass(values, 1f);
            double second = TimeWritePass(values, 2f);
            Console.WriteLine($"new 680 MB array, both cores: first write pass {first:F1} ms, second {second:F1} ms");
        }
        return 0;
    }

    private static double TimeWritePass(float[] values, float value)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, 2, half => values.AsSpan(half * (values.Length / 2), values.Length / 2).Fill(value));
        return clock.Elapsed.TotalMilliseconds;
    }
}
