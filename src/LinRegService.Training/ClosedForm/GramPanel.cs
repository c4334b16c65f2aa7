using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.ClosedForm;

/// <summary>
/// The upper triangle of ZᵀZ for Z = [X 1 y], summed a panel of <see cref="Rows"/> rows at a time:
/// a SYRK-style kernel (hand-written: it is the product's closed form, and its summation order is
/// fixed). The rows of a panel are copied once, row-major, into a cache-resident buffer padded to
/// whole vectors, with the constant and the label appended; then every block of 4 output rows ×
/// 3 vectors (24 columns) runs down the panel as outer products: per row, 3 loads and 4 broadcasts
/// feed 12 multiply-adds into 12 register accumulators. Each accumulator lane sums one entry over
/// the panel's rows in float32 (the data's own precision), and every panel's sums are widened and
/// added into double, so the error does not grow with the number of rows. Each entry is the same
/// sequence of float32 multiply-adds whatever the vector width, so Vector512 and Vector256 agree to the bit.
/// When the features fill whole vectors (16 features at 512 bits, 256 at either width), the constant
/// and the label would sit alone in one more vector, most of its lanes padding, for every block of
/// feature rows; their products with the features are summed instead as the rows of the constant and
/// the label across every vector (the mirrored entries, read back by <see cref="Sum"/>). A product
/// is the same number either way round, so the bits are too: 16 features take 24 vector
/// multiply-adds per row instead of 36.
/// </summary>
internal sealed class GramPanel
{
    /// <summary>Rows per panel: 64 float32 products per sum before it is widened to double.</summary>
    public const int Rows = 64;

    private const int RowBlock = 4;
    private const int MaxVectors = 3;

    private readonly float[] _panel;
    private readonly bool _wide;

    /// <summary>A panel for rows of <paramref name="features"/> features, and the sums it adds into.</summary>
    /// <param name="features">Features per row.</param>
    /// <param name="wide">Vector512 (true) or Vector256 (false); by default the widest accelerated. Either gives the same bits.</param>
    /// <param name="mirror">Whether to mirror the constant and the label where the features fill whole vectors (tests turn it off to compare: the bits are the same).</param>
    public GramPanel(int features, bool? wide = null, bool mirror = true)
    {
        Features = features;
        _wide = wide ?? Vector512.IsHardwareAccelerated;
        int lanes = _wide ? Vector512<float>.Count : Vector256<float>.Count;
        Width = RoundUp(features + 2, lanes);
        _mirrorsConstantAndLabel = mirror && features % lanes == 0;
        _panel = new float[Rows * Width];
        _sums = new double[Width * Width];
    }

    /// <summary>Whether the constant's and the label's products with the features are summed as their rows (see the class).</summary>
    private readonly bool _mirrorsConstantAndLabel;

    [ThreadStatic]
    private static GramPanel? _kept;

    /// <summary>This thread's panel for the shape, its sums zeroed: a partition's panel is most of a megabyte on wide data, kept rather than allocated per partition.</summary>
    public static GramPanel ForThisThread(int features, bool? wide)
    {
        bool useWide = wide ?? Vector512.IsHardwareAccelerated;
        if (_kept is not { } panel || panel.Features != features || panel._wide != useWide)
        {
            return _kept = new GramPanel(features, useWide);
        }
        Array.Clear(panel._sums);
        return panel;
    }

    public int Features { get; }

    /// <summary>Columns of a panel row (and of the sums): features, the constant 1, the label, zero padding.</summary>
    public int Width { get; }

    /// <summary>Row i, column j: Σ zᵢ·zⱼ over every row added, for the entries the blocks cover (others hold partial sums); read through <see cref="Sum"/>.</summary>
    private readonly double[] _sums;

    /// <summary>Σ zᵢ·zⱼ over every row added, for i ≤ j (columns: the features, the constant 1, the label).</summary>
    public double Sum(int i, int j) =>
        _mirrorsConstantAndLabel && i < Features && j >= Features ? _sums[(j * Width) + i] : _sums[(i * Width) + j];

    /// <summary>What one panel and its sums allocate for this many features.</summary>
    public static long BytesFor(int features)
    {
        long width = RoundUp(features + 2, Vector512<float>.Count);
        return (Rows * width * sizeof(float)) + (width * width * sizeof(double));
    }

    /// <summary>Adds rows [first, first + count) of row-major <paramref name="features"/> and <paramref name="labels"/>, at most <see cref="Rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public void Add(ReadOnlySpan<float> features, ReadOnlySpan<float> labels, int first, int count)
    {
        int d = Features;
        ref float panel = ref MemoryMarshal.GetArrayDataReference(_panel);
        if (count < Rows)
        {
            Array.Clear(_panel); // zero rows, their constant included, add nothing
        }
        for (int r = 0; r < count; r++)
        {
            ref float target = ref Unsafe.Add(ref panel, r * Width);
            features.Slice((first + r) * d, d).CopyTo(MemoryMarshal.CreateSpan(ref target, d));
            Unsafe.Add(ref target, d) = 1f;
            Unsafe.Add(ref target, d + 1) = labels[first + r];
        }

        AddPanel(ref panel);
    }

    /// <summary>Adds <paramref name="count"/> packed rows (the features, then the label; <paramref name="stride"/> = features + 1) from <paramref name="rows"/> on, at most <see cref="Rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddPacked(ref float rows, int count, int stride)
    {
        int d = Features;
        ref float panel = ref MemoryMarshal.GetArrayDataReference(_panel);
        if (count < Rows)
        {
            Array.Clear(_panel);
        }
        for (int r = 0; r < count; r++)
        {
            ref float target = ref Unsafe.Add(ref panel, r * Width);
            ref float row = ref Unsafe.Add(ref rows, (nint)r * stride);
            MemoryMarshal.CreateReadOnlySpan(ref row, d).CopyTo(MemoryMarshal.CreateSpan(ref target, d));
            Unsafe.Add(ref target, d) = 1f;
            Unsafe.Add(ref target, d + 1) = Unsafe.Add(ref row, d);
        }
        AddPanel(ref panel);
    }

    private void AddPanel(ref float panel)
    {
        if (_wide)
        {
            AddBlocks<Lanes512, Vector512<float>>(ref panel);
        }
        else
        {
            AddBlocks<Lanes256, Vector256<float>>(ref panel);
        }
    }

    /// <summary>
    /// Every block of 4 rows × up to 3 vectors that reaches the diagonal or beyond (j ≥ i, to the
    /// nearest vector); when the constant and the label are mirrored, the feature rows stop before
    /// their vector and the rows from the constant on span every vector.
    /// </summary>
    private void AddBlocks<TLanes, TVector>(ref float panel)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        int vectors = Width / lanes;
        for (int i = 0; i < Features + 2; i += RowBlock)
        {
            // Features % lanes == 0 when mirrored, so a block of rows holds only features or none.
            bool featureRows = i < Features;
            int from = _mirrorsConstantAndLabel && !featureRows ? 0 : i / lanes;
            int to = _mirrorsConstantAndLabel && featureRows ? vectors - 1 : vectors;
            for (int v = from; v < to; v += MaxVectors)
            {
                switch (Math.Min(MaxVectors, to - v))
                {
                    case 3:
                        Block<TLanes, TVector, Three>(ref panel, i, v * lanes);
                        break;
                    case 2:
                        Block<TLanes, TVector, Two>(ref panel, i, v * lanes);
                        break;
                    default:
                        Block<TLanes, TVector, One>(ref panel, i, v * lanes);
                        break;
                }
            }
        }
    }

    /// <summary>Sums[i..i+4, j..j + lanes·TWidth] += panel columns i..i+4 ⊗ columns j.. over the panel's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block<TLanes, TVector, TWidth>(ref float panel, int i, int j)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TWidth : struct, IVectorCount
    {
        int lanes = TLanes.Count;
        TVector a0 = default, a1 = default, a2 = default;
        TVector b0 = default, b1 = default, b2 = default;
        TVector c0 = default, c1 = default, c2 = default;
        TVector e0 = default, e1 = default, e2 = default;
        ref float row = ref Unsafe.Add(ref panel, j);
        ref float left = ref Unsafe.Add(ref panel, i);
        for (int r = 0; r < Rows; r++)
        {
            TVector x0 = TLanes.Load(ref row);
            TVector x1 = TWidth.Count > 1 ? TLanes.Load(ref Unsafe.Add(ref row, lanes)) : default;
            TVector x2 = TWidth.Count > 2 ? TLanes.Load(ref Unsafe.Add(ref row, 2 * lanes)) : default;
            TVector z = TLanes.Broadcast(left);
            a0 = TLanes.MultiplyAdd(z, x0, a0);
            a1 = TWidth.Count > 1 ? TLanes.MultiplyAdd(z, x1, a1) : a1;
            a2 = TWidth.Count > 2 ? TLanes.MultiplyAdd(z, x2, a2) : a2;
            z = TLanes.Broadcast(Unsafe.Add(ref left, 1));
            b0 = TLanes.MultiplyAdd(z, x0, b0);
            b1 = TWidth.Count > 1 ? TLanes.MultiplyAdd(z, x1, b1) : b1;
            b2 = TWidth.Count > 2 ? TLanes.MultiplyAdd(z, x2, b2) : b2;
            z = TLanes.Broadcast(Unsafe.Add(ref left, 2));
            c0 = TLanes.MultiplyAdd(z, x0, c0);
            c1 = TWidth.Count > 1 ? TLanes.MultiplyAdd(z, x1, c1) : c1;
            c2 = TWidth.Count > 2 ? TLanes.MultiplyAdd(z, x2, c2) : c2;
            z = TLanes.Broadcast(Unsafe.Add(ref left, 3));
            e0 = TLanes.MultiplyAdd(z, x0, e0);
            e1 = TWidth.Count > 1 ? TLanes.MultiplyAdd(z, x1, e1) : e1;
            e2 = TWidth.Count > 2 ? TLanes.MultiplyAdd(z, x2, e2) : e2;
            row = ref Unsafe.Add(ref row, Width);
            left = ref Unsafe.Add(ref left, Width);
        }

        ref double sums = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_sums), (i * Width) + j);
        AddRow<TLanes, TVector, TWidth>(ref sums, a0, a1, a2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, Width), b0, b1, b2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 2 * Width), c0, c1, c2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 3 * Width), e0, e1, e2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<TLanes, TVector, TWidth>(ref double sums, TVector s0, TVector s1, TVector s2)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TWidth : struct, IVectorCount
    {
        TLanes.AddWidened(ref sums, s0);
        if (TWidth.Count > 1)
        {
            TLanes.AddWidened(ref Unsafe.Add(ref sums, TLanes.Count), s1);
        }
        if (TWidth.Count > 2)
        {
            TLanes.AddWidened(ref Unsafe.Add(ref sums, 2 * TLanes.Count), s2);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The few vector operations the kernel needs, at one width.</summary>
    private interface ILanes<TVector>
        where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Load(ref float source);

        static abstract TVector Broadcast(float value);

        static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

        /// <summary>target[0..Count) += the lanes, widened to double.</summary>
        static abstract void AddWidened(ref double target, TVector sums);
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
            Vector256.FusedMultiplyAdd(left, right, addend);

        public static void AddWidened(ref double target, Vector256<float> sums)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(sums);
            (Vector256.LoadUnsafe(ref target) + lower).StoreUnsafe(ref target);
            (Vector256.LoadUnsafe(ref target, 4) + upper).StoreUnsafe(ref target, 4);
        }
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
            Vector512.FusedMultiplyAdd(left, right, addend);

        public static void AddWidened(ref double target, Vector512<float> sums)
        {
            (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(sums);
            (Vector512.LoadUnsafe(ref target) + lower).StoreUnsafe(ref target);
            (Vector512.LoadUnsafe(ref target, 8) + upper).StoreUnsafe(ref target, 8);
        }
    }

    /// <summary>How many vectors of columns a block covers, a type so the JIT drops the unused ones.</summary>
    private interface IVectorCount
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IVectorCount
    {
        public static int Count => 1;
    }

    private readonly struct Two : IVectorCount
    {
        public static int Count => 2;
    }

    private readonly struct Three : IVectorCount
    {
        public static int Count => 3;
    }
}
