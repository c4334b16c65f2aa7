using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LinRegService.Training.ClosedForm;

/// <summary>
/// The upper triangle of ZᵀZ for Z = [X 1 y], summed a panel of <see cref="Rows"/> rows at a time:
/// a SYRK-style kernel (hand-written: it is the product's closed form, and its summation order is
/// fixed). The rows of a panel are copied once, row-major, into a cache-resident buffer padded to
/// whole vectors, with the constant and the label appended; then every block of 8 output rows ×
/// 3 vectors (48 columns at 512 bits) runs down the panel as outer products: per row, 3 loads and
/// 8 broadcasts feed 24 multiply-adds into 24 register accumulators (of AVX-512's 32), so the panel
/// (on wide data larger than L1) is read half as often as with 4 rows (the 4-row blocks Vector256 uses; the bits
/// are the same, as each entry's sum is). Each accumulator lane sums one entry over
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
    private const int BigRowBlock = 8;
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
    /// Every block of 8 rows (at 512 bits; 4 at 256 bits and where fewer are left) × up to 3 vectors that
    /// reaches the diagonal or beyond (j ≥ i, to the nearest vector); when the constant and the
    /// label are mirrored, the feature rows stop before their vector and the rows from the constant
    /// on span every vector.
    /// </summary>
    private void AddBlocks<TLanes, TVector>(ref float panel)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        int vectors = Width / lanes;
        for (int i = 0; i < Features + 2;)
        {
            // Features % lanes == 0 when mirrored, so a block of rows holds only features or none.
            bool featureRows = i < Features;
            int from = _mirrorsConstantAndLabel && !featureRows ? 0 : i / lanes;
            int to = _mirrorsConstantAndLabel && featureRows ? vectors - 1 : vectors;
            // 8 rows need 24 accumulators: only where AVX-512's 32 registers hold them (AVX2 has 16).
            bool eight = _wide && i + BigRowBlock <= (_mirrorsConstantAndLabel && featureRows ? Features : Features + 2);
            for (int v = from; v < to; v += MaxVectors)
            {
                int count = Math.Min(MaxVectors, to - v);
                if (eight)
                {
                    BlockOf<TLanes, TVector, Eight>(ref panel, i, v * lanes, count);
                }
                else
                {
                    BlockOf<TLanes, TVector, Four>(ref panel, i, v * lanes, count);
                }
            }
            i += eight ? BigRowBlock : RowBlock;
        }
    }

    private void BlockOf<TLanes, TVector, TRows>(ref float panel, int i, int j, int vectors)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TRows : struct, IVectorCount
    {
        switch (vectors)
        {
            case 3:
                Block<TLanes, TVector, Three, TRows>(ref panel, i, j);
                break;
            case 2:
                Block<TLanes, TVector, Two, TRows>(ref panel, i, j);
                break;
            default:
                Block<TLanes, TVector, One, TRows>(ref panel, i, j);
                break;
        }
    }

    /// <summary>
    /// Sums[i..i+TRows, j..j + lanes·TWidth] += panel columns i..i+TRows ⊗ columns j.. over the
    /// panel's rows: up to 24 register accumulators, so each loaded vector feeds 8 multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block<TLanes, TVector, TWidth, TRows>(ref float panel, int i, int j)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TWidth : struct, IVectorCount
        where TRows : struct, IVectorCount
    {
        int lanes = TLanes.Count;
        int width = Width;
        TVector a0 = default, a1 = default, a2 = default;
        TVector b0 = default, b1 = default, b2 = default;
        TVector c0 = default, c1 = default, c2 = default;
        TVector e0 = default, e1 = default, e2 = default;
        TVector f0 = default, f1 = default, f2 = default;
        TVector g0 = default, g1 = default, g2 = default;
        TVector h0 = default, h1 = default, h2 = default;
        TVector k0 = default, k1 = default, k2 = default;
        ref float row = ref Unsafe.Add(ref panel, j);
        ref float left = ref Unsafe.Add(ref panel, i);
        for (int r = 0; r < Rows; r++)
        {
            TVector x0 = TLanes.Load(ref row);
            TVector x1 = TWidth.Count > 1 ? TLanes.Load(ref Unsafe.Add(ref row, lanes)) : default;
            TVector x2 = TWidth.Count > 2 ? TLanes.Load(ref Unsafe.Add(ref row, 2 * lanes)) : default;
            Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(left), x0, x1, x2, ref a0, ref a1, ref a2);
            Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 1)), x0, x1, x2, ref b0, ref b1, ref b2);
            Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 2)), x0, x1, x2, ref c0, ref c1, ref c2);
            Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 3)), x0, x1, x2, ref e0, ref e1, ref e2);
            if (TRows.Count > 4)
            {
                Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 4)), x0, x1, x2, ref f0, ref f1, ref f2);
                Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 5)), x0, x1, x2, ref g0, ref g1, ref g2);
                Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 6)), x0, x1, x2, ref h0, ref h1, ref h2);
                Accumulate<TLanes, TVector, TWidth>(TLanes.Broadcast(Unsafe.Add(ref left, 7)), x0, x1, x2, ref k0, ref k1, ref k2);
            }
            row = ref Unsafe.Add(ref row, width);
            left = ref Unsafe.Add(ref left, width);
        }

        ref double sums = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_sums), (i * width) + j);
        AddRow<TLanes, TVector, TWidth>(ref sums, a0, a1, a2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, width), b0, b1, b2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 2 * width), c0, c1, c2);
        AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 3 * width), e0, e1, e2);
        if (TRows.Count > 4)
        {
            AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 4 * width), f0, f1, f2);
            AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 5 * width), g0, g1, g2);
            AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 6 * width), h0, h1, h2);
            AddRow<TLanes, TVector, TWidth>(ref Unsafe.Add(ref sums, 7 * width), k0, k1, k2);
        }
    }

    /// <summary>One panel row's products with one left column: s += z·x, for the vectors the block covers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TLanes, TVector, TWidth>(TVector z, TVector x0, TVector x1, TVector x2, ref TVector s0, ref TVector s1, ref TVector s2)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TWidth : struct, IVectorCount
    {
        s0 = TLanes.MultiplyAdd(z, x0, s0);
        if (TWidth.Count > 1)
        {
            s1 = TLanes.MultiplyAdd(z, x1, s1);
        }
        if (TWidth.Count > 2)
        {
            s2 = TLanes.MultiplyAdd(z, x2, s2);
        }
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

    private readonly struct Four : IVectorCount
    {
        public static int Count => 4;
    }

    private readonly struct Eight : IVectorCount
    {
        public static int Count => 8;
    }
}
