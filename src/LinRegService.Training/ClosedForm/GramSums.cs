using LinRegService.Training.Data;
using LinRegService.Training.Sgd;

namespace LinRegService.Training.ClosedForm;

/// <summary>
/// ZᵀZ and Zᵀy over a fixed number of row partitions, each summed by whichever thread takes it
/// next and added in partition order at the end: the result does not depend on how many threads
/// there were or which took what.
/// </summary>
internal sealed class GramSums
{
    /// <summary>Partitions of the rows: enough to share between two cores in small pieces.</summary>
    public const int MaxPartitions = 16;

    private readonly double[][] _gram;
    private readonly double[][] _moment;
    private readonly bool? _wide;
    private int _next;

    /// <summary>Sums over <paramref name="data"/>'s rows; <paramref name="wide"/> picks the kernel's vector width (null: the widest accelerated).</summary>
    public GramSums(Dataset data, bool? wide)
        : this(data.Examples, data.FeatureCount, wide) => Data = data;

    /// <summary>Sums over packed rows still in dataset order: the same partitions and panels, so the same bits as over the <see cref="Dataset"/>.</summary>
    public GramSums(PackedDataset packed, bool? wide)
        : this(packed.Examples, packed.Features, wide)
    {
        if (!packed.Layout.IsInOrder)
        {
            throw new ArgumentException("The closed form reads the rows in dataset order, before training shuffles them.", nameof(packed));
        }
        Packed = packed;
    }

    private GramSums(int examples, int features, bool? wide)
    {
        Examples = examples;
        Features = features;
        _wide = wide;
        _gram = new double[PartitionsFor(examples)][];
        _moment = new double[PartitionsFor(examples)][];
    }

    public Dataset? Data { get; }

    public PackedDataset? Packed { get; }

    public int Examples { get; }

    public int Features { get; }

    public static int PartitionsFor(int examples) => Math.Min(MaxPartitions, Math.Max(1, examples / 1024));

    /// <summary>Sums partitions until none is left to take.</summary>
    private void Help(CancellationToken cancellationToken)
    {
        int partitions = _gram.Length;
        int p;
        while ((p = Interlocked.Increment(ref _next) - 1) < partitions)
        {
            long first = (long)Examples * p / partitions;
            long end = (long)Examples * (p + 1) / partitions;
            (_gram[p], _moment[p]) = Accumulate((int)first, (int)(end - first), cancellationToken);
        }
    }

    /// <summary>Sums on up to <paramref name="maxDegreeOfParallelism"/> threads (-1: all cores).</summary>
    public void SumInParallel(int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        // Never more threads than cores: each keeps a panel (LeastSquares.EstimateBytes counts one per core).
        int threads = Math.Min(_gram.Length, Math.Min(Environment.ProcessorCount, maxDegreeOfParallelism < 1 ? int.MaxValue : maxDegreeOfParallelism));
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, threads, options, _ => Help(cancellationToken));
    }

    /// <summary>The upper triangle of ZᵀZ (row-major, columns × columns) and Zᵀy, once every partition is summed.</summary>
    public (double[] Gram, double[] Moment) Total()
    {
        for (int p = 1; p < _gram.Length; p++)
        {
            AddInto(_gram[0], _gram[p]);
            AddInto(_moment[0], _moment[p]);
        }
        return (_gram[0], _moment[0]);
    }

    /// <summary>Upper triangle of ZᵀZ and Zᵀy over rows [first, first + count), a <see cref="GramPanel"/> at a time.</summary>
    private (double[] Gram, double[] Moment) Accumulate(int first, int count, CancellationToken cancellationToken)
    {
        int columns = Features + 1;
        GramPanel panel = GramPanel.ForThisThread(Features, _wide);
        // Look at the token about every 2^22 multiply-adds (each panel costs about Rows·width²/2).
        int panelsPerCheck = Math.Max(1, (1 << 22) / (GramPanel.Rows * panel.Width * panel.Width / 2));
        for (int start = 0, panelIndex = 0; start < count; start += GramPanel.Rows, panelIndex++)
        {
            if (panelIndex % panelsPerCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            int rows = Math.Min(GramPanel.Rows, count - start);
            if (Packed is not null)
            {
                panel.AddPacked(ref Packed.InOrderRow(first + start), rows, Packed.Stride);
            }
            else
            {
                panel.Add(Data!.Features, Data.Labels, first + start, rows);
            }
        }

        double[] gram = new double[columns * columns];
        double[] moment = new double[columns];
        for (int i = 0; i < columns; i++)
        {
            for (int j = i; j < columns; j++)
            {
                gram[(i * columns) + j] = panel.Sum(i, j);
            }
            moment[i] = panel.Sum(i, columns);
        }
        return (gram, moment);
    }

    private static void AddInto(double[] target, double[] source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}
