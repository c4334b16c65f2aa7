using System.Diagnostics;
using System.Globalization;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;

namespace LinRegService.Benchmarks;

/// <summary>
/// `scatter-probe EXAMPLES FEATURES THREADS BITS…`: the bucketed scatter of one dataset at each
/// bucket count asked for (2^BITS buckets, whatever the engine would pick), with the loss riding
/// along and without, against a one-core copy of X; medians and minimums of `PROBE_ROUNDS` calls
/// (7 by default). What it showed: the scatter's cost hardly depends on the number of buckets, so
/// its loop, not the scattered writes alone, set its pace (docs/benchmarks.md, seventh session).
/// </summary>
internal static class ScatterProbe
{
    public static int Run(string[] args)
    {
        int examples = int.Parse(args[0], CultureInfo.InvariantCulture);
        int features = int.Parse(args[1], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
        int rounds = int.Parse(Environment.GetEnvironmentVariable("PROBE_ROUNDS") ?? "7", CultureInfo.InvariantCulture);
        var spec = new DatasetSpec([.. Enumerable.Range(0, features).Select(i => (float)Math.Sin(i))], 1f, examples, 0.01f, 1f, 3);
        Dataset data = DatasetGenerator.Generate(spec);
        float[] weights = new float[features];
        foreach (string bitsText in args[3..])
        {
            int bits = int.Parse(bitsText, CultureInfo.InvariantCulture);
            using PackedDataset packed = PackedDataset.From(data, bits);
            var shuffle = new BucketShuffle(packed, bits, threads);
            int epoch = 0;
            shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, epoch++, weights, 0f, default);
            var withLoss = new List<double>();
            var withoutLoss = new List<double>();
            for (int i = 0; i < rounds; i++)
            {
                withLoss.Add(Time(() => shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, epoch++, weights, 0f, default)));
                withoutLoss.Add(Time(() => shuffle.Scatter<VectorStepKernel, SquaredLoss>(1, epoch++, null, 0f, default)));
            }
            Console.WriteLine(FormattableString.Invariant(
                $"bits={bits} threads={threads} withLoss median {Median(withLoss):F1} ms min {withLoss.Min():F1}; noLoss median {Median(withoutLoss):F1} min {withoutLoss.Min():F1}"));
        }
        float[] copy = new float[data.Features.Length];
        var copies = new List<double>();
        for (int i = 0; i < rounds; i++)
        {
            copies.Add(Time(() => data.Features.AsSpan().CopyTo(copy)));
        }
        Console.WriteLine(FormattableString.Invariant($"copy X 1 core median {Median(copies):F1} min {copies.Min():F1}"));
        return 0;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
