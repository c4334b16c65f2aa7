using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The parameters and the running minibatch gradient. Rows are fed one at a time in shuffled
/// order; every <c>batchSize</c> rows the update θ ← θ − lr·∇/|B| is applied, ∇ the sum of the
/// rows' loss gradients L′(r)·(x, 1). A batch may span two shuffle buckets: the gradient simply
/// keeps accumulating across the boundary.
/// </summary>
internal sealed partial class MinibatchStepper<TKernel, TLoss>
    where TKernel : IStepKernel
    where TLoss : ILoss
{
    private readonly float[] _gradient;
    private readonly int _batchSize;
    private readonly TrainingOptions _rates;
    private readonly bool _ratePerUpdate;
    private readonly float _huberDelta;
    private readonly int _features;
    private float _epochRate;
    private long _updates; // counted for invScaling only, whose t it is
    private float _biasGradient;
    private int _inBatch;

    /// <summary>A stepper at a constant learning rate.</summary>
    public MinibatchStepper(float[] weights, float bias, int batchSize, float learningRate, float huberDelta = 1f)
        : this(weights, bias, new TrainingOptions { BatchSize = batchSize, LearningRate = learningRate, HuberDelta = huberDelta })
    {
    }

    /// <summary>A stepper with the batch size, learning rate, schedule and Huber δ of <paramref name="options"/>.</summary>
    /// <param name="weights">The initial weights, updated in place.</param>
    /// <param name="bias">The initial bias.</param>
    /// <param name="options">Batch size, rates, schedule and Huber δ.</param>
    /// <param name="fixedWidth">Whether 16 features take the fixed-width feed where it applies (tests turn it off to compare: the bits are the same).</param>
    public MinibatchStepper(float[] weights, float bias, TrainingOptions options, bool fixedWidth = true)
    {
        Weights = weights;
        Bias = bias;
        _features = weights.Length;
        _gradient = new float[weights.Length];
        _batchSize = options.BatchSize;
        _rates = options;
        _ratePerUpdate = options.Schedule == ScheduleKind.InvScaling;
        _huberDelta = options.HuberDelta;
        _epochRate = LearningRates.ForEpoch(options, 0);
        _sixteenWide = fixedWidth && SixteenWide.Applies<TKernel>(weights.Length);
    }

    public float[] Weights { get; }

    public float Bias { get; private set; }

    /// <summary>Starts epoch <paramref name="epoch"/> (from 0): a step schedule's rate for it.</summary>
    public void BeginEpoch(int epoch) => _epochRate = LearningRates.ForEpoch(_rates, epoch);

    /// <summary>
    /// Feeds the rows at <paramref name="positions"/> of a packed buffer (stride = features + 1,
    /// the label last), each position offset by <paramref name="baseRow"/>.
    /// </summary>
    public void Feed(ref float packed, ReadOnlySpan<int> positions, long baseRow)
    {
        PrefetchCursor none = default;
        Feed(ref packed, positions, baseRow, ref none);
    }

    /// <summary>As above, advancing <paramref name="prefetch"/> one step per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full speed from the first job, not after tiering
    public void Feed(ref float packed, ReadOnlySpan<int> positions, long baseRow, ref PrefetchCursor prefetch)
    {
        if (_sixteenWide)
        {
            FeedSixteen(ref packed, positions, baseRow, ref prefetch);
            return;
        }
        int d = _features;
        int stride = d + 1;
        ref float w = ref MemoryMarshal.GetArrayDataReference(Weights);
        ref float g = ref MemoryMarshal.GetArrayDataReference(_gradient);
        float bias = Bias;
        float biasGradient = _biasGradient;
        int inBatch = _inBatch;
        float delta = _huberDelta;
        float stepScale = _epochRate / _batchSize; // an inverse-scaling schedule sets its own at each update
        int batchSize = _batchSize;
        int next = 0;
        // Four rows at a time while they fall in one minibatch: the weights are the same for all
        // four, and each gradient element takes the same multiply-adds in the same row order, so the
        // bits are those of one row at a time; the gradient is read and written once, not four times.
        while (next < positions.Length)
        {
            if (positions.Length - next < 4 || inBatch + 4 > batchSize)
            {
                // A minibatch ends within the next four rows (or fewer are left): one row at a time.
                FeedOne(ref packed, positions[next++], baseRow, ref prefetch, ref w, ref g, ref bias, ref biasGradient, ref inBatch, ref stepScale);
                continue;
            }
            prefetch.StepFour();
            ref float row0 = ref RowAt(ref packed, baseRow + positions[next], stride);
            ref float row1 = ref RowAt(ref packed, baseRow + positions[next + 1], stride);
            ref float row2 = ref RowAt(ref packed, baseRow + positions[next + 2], stride);
            ref float row3 = ref RowAt(ref packed, baseRow + positions[next + 3], stride);
            float gradient0 = TLoss.Gradient(TKernel.Dot(ref row0, ref w, d) + bias - Unsafe.Add(ref row0, d), delta);
            float gradient1 = TLoss.Gradient(TKernel.Dot(ref row1, ref w, d) + bias - Unsafe.Add(ref row1, d), delta);
            float gradient2 = TLoss.Gradient(TKernel.Dot(ref row2, ref w, d) + bias - Unsafe.Add(ref row2, d), delta);
            float gradient3 = TLoss.Gradient(TKernel.Dot(ref row3, ref w, d) + bias - Unsafe.Add(ref row3, d), delta);
            TKernel.AddScaled4(ref g, ref row0, gradient0, ref row1, gradient1, ref row2, gradient2, ref row3, gradient3, d);
            biasGradient = InRowOrder(biasGradient, gradient0, gradient1, gradient2, gradient3);
            next += 4;
            inBatch += 4;
            if (inBatch == batchSize)
            {
                CloseBatch(ref w, ref g, ref bias, ref biasGradient, ref inBatch, ref stepScale);
            }
        }
        Bias = bias;
        _biasGradient = biasGradient;
        _inBatch = inBatch;
    }

    /// <summary>The bias gradient with four rows' added one after another, in row order (the bits of one row at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float InRowOrder(float sum, float first, float second, float third, float fourth) => sum + first + second + third + fourth;

    /// <summary>Packed row <paramref name="row"/> (stride = features + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float RowAt(ref float packed, long row, int stride) => ref Unsafe.Add(ref packed, (nint)(row * stride));

    /// <summary>One row: its gradient added, and the update applied when it closes a minibatch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FeedOne(ref float packed, int position, long baseRow, ref PrefetchCursor prefetch, ref float w, ref float g,
        ref float bias, ref float biasGradient, ref int inBatch, ref float stepScale)
    {
        int d = _features;
        prefetch.Step();
        ref float row = ref Unsafe.Add(ref packed, (nint)((baseRow + position) * (d + 1)));
        float residual = TKernel.Dot(ref row, ref w, d) + bias - Unsafe.Add(ref row, d);
        float gradient = TLoss.Gradient(residual, _huberDelta);
        TKernel.AddScaled(ref g, ref row, gradient, d);
        biasGradient += gradient;
        if (++inBatch == _batchSize)
        {
            CloseBatch(ref w, ref g, ref bias, ref biasGradient, ref inBatch, ref stepScale);
        }
    }

    /// <summary>The update θ ← θ − lr·∇/|B| at the end of a full minibatch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CloseBatch(ref float w, ref float g, ref float bias, ref float biasGradient, ref int inBatch, ref float stepScale)
    {
        if (_ratePerUpdate)
        {
            stepScale = NextInvScaledRate() / _batchSize;
        }
        TKernel.ApplyAndClear(ref w, ref g, stepScale, _features);
        bias -= stepScale * biasGradient;
        biasGradient = 0f;
        inBatch = 0;
    }

    /// <summary>Closes the epoch: a last, smaller batch is divided by its own size.</summary>
    public void FinishEpoch()
    {
        if (_inBatch == 0)
        {
            return;
        }
        float rate = _ratePerUpdate ? NextInvScaledRate() : _epochRate;
        float stepScale = rate / _inBatch;
        TKernel.ApplyAndClear(ref MemoryMarshal.GetArrayDataReference(Weights), ref MemoryMarshal.GetArrayDataReference(_gradient), stepScale, _features);
        Bias -= stepScale * _biasGradient;
        _biasGradient = 0f;
        _inBatch = 0;
    }

    /// <summary>A cheap sentinel for divergence: a NaN or infinite weight reaches the bias within one batch.</summary>
    public bool IsFinite => float.IsFinite(Bias);

    private float NextInvScaledRate() => LearningRates.InvScaled(_rates.LearningRate, _rates.DecayPower, ++_updates);
}
