using System.Globalization;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Runs;

/// <summary>
/// <see cref="LinearRegressionRun.EstimatePeakBytes"/> against real runs: never below what the run
/// allocated (managed bytes, garbage included, plus native shuffle buffers) nor below the growth of
/// the process's resident memory while it ran, and within a small factor of the former on runs
/// large enough to matter.
/// </summary>
[Collection(LargeData.Name)]
public sealed class PeakMemoryTests
{
    private const long MiB = 1 << 20;

    /// <summary>Shapes that reach each allocation: shuffle buffers (two, working ahead), the closed form's tiles, the in-cache copy.</summary>
    public static TheoryData<int, int, int> Runs() => new()
    {
        { 400_000, 32, 2 },
        { 1_000_000, 4, 1 },
        { 30_000, 600, 2 },
        { 1000, 2, 3 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void The_estimate_bounds_what_a_run_allocates_and_holds(int examples, int features, int epochs)
    {
        var dataset = new DatasetSpec([.. Enumerable.Range(0, features).Select(i => i % 2 == 0 ? 1f : -1f)], 0.5f, examples, 0.01f, 1f, Seed: 5);
        var training = new TrainingOptions { Epochs = epochs, Seed = 6, LearningRate = 0.01f };
        var limits = new TrainingLimits();
        long estimate = LinearRegressionRun.EstimatePeakBytes(dataset, training, limits);

        TrainingMemory.ReleaseCached(); // every buffer and row array is new memory, as on a first run
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long residentBefore = ResidentBytes();
        long managedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long nativeBefore = Interlocked.Read(ref NativeBuffers.ObtainedBytes);
        long residentPeak = residentBefore;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                residentPeak = Math.Max(residentPeak, ResidentBytes());
            }
            while (!done.Wait(1));
        });
        sampler.Start();

        RunResult result = LinearRegressionRun.Execute(dataset, training, limits);

        done.Set();
        sampler.Join();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - managedBefore + Interlocked.Read(ref NativeBuffers.ObtainedBytes) - nativeBefore;
        long grown = residentPeak - residentBefore;
        string figures = $"estimate {estimate / MiB} MiB, allocated {allocated / MiB} MiB, resident growth {grown / MiB} MiB";

        Assert.Equal(epochs, result.EpochLosses.Length);
        Assert.True(estimate >= allocated, figures);
        Assert.True(estimate >= grown, figures);
        if (allocated > 64 * MiB)
        {
            Assert.True(estimate <= allocated * 3 / 2, figures);
        }
    }

    [Fact]
    public void The_largest_jobs_the_default_limits_allow_need_one_copy_of_their_rows_and_a_little_more()
    {
        var limits = new TrainingLimits();
        var wide = new DatasetSpec([.. Enumerable.Repeat(1f, limits.MaxFeatures)], 0f, (int)(limits.MaxValues / limits.MaxFeatures), 0.01f, 1f, Seed: 1);
        var tall = new DatasetSpec([.. Enumerable.Repeat(1f, 16)], 0f, (int)(limits.MaxValues / 16), 0.01f, 1f, Seed: 1);
        var training = new TrainingOptions { Epochs = 10 };

        // 1 GiB of features in one packed copy (in huge pages, with a reused buffer's slack), the shuffle's spare blocks and the row order.
        foreach (DatasetSpec spec in new[] { wide, tall })
        {
            long rows = Dataset.BytesFor(spec.Examples, spec.Features);
            long estimate = LinearRegressionRun.EstimatePeakBytes(spec, training, limits);
            Assert.InRange(estimate, rows, rows * 2);
            // One epoch or ten: the same one copy.
            Assert.Equal(estimate, LinearRegressionRun.EstimatePeakBytes(spec, training with { Epochs = 1 }, limits));
        }
    }

    /// <summary>The process's resident set (Linux's /proc/self/statm, in pages).</summary>
    private static long ResidentBytes()
    {
        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}
