using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Sgd;

/// <summary>
/// The parameters and the running minibatch gradient. Rows are fed one at a time in shuffled
/// order; every <c>batchSize</c> rows the update θ ← θ − lr·∇/|B| is applied. A batch may span
/// two shuffle buckets: the gradient simply keeps accumulating across the boundary.
/// </summary>
internal sealed class MinibatchStepper<TKernel> where TKernel : IStepKernel
{
    private readonly float[] _gradient;
    private readonly int _batchSize;
    private readonly float _learningRate;
    private readonly int _features;
    private float _biasGradient;
    private int _inBatch;

    public MinibatchStepper(float[] weights, float bias, int batchSize, float learningRate)
    {
        Weights = weights;
        Bias = bias;
        _features = weights.Length;
        _gradient = new float[weights.Length];
        _batchSize = batchSize;
        _learningRate = learningRate;
    }

    public float[] Weights { get; }

    public float Bias { get; private set; }

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
        int d = _features;
        int stride = d + 1;
        ref float w = ref MemoryMarshal.GetArrayDataReference(Weights);
        ref float g = ref MemoryMarshal.GetArrayDataReference(_gradient);
        float bias = Bias;
        float biasGradient = _biasGradient;
        int inBatch = _inBatch;
        float stepScale = _learningRate / _batchSize;
        foreach (int position in positions)
        {
            prefetch.Step();
            ref float row = ref Unsafe.Add(ref packed, (nint)((baseRow + position) * stride));
            float residual = TKernel.Dot(ref row, ref w, d) + bias - Unsafe.Add(ref row, d);
            TKernel.AddScaled(ref g, ref row, residual, d);
            biasGradient += residual;
            if (++inBatch == _batchSize)
            {
                TKernel.ApplyAndClear(ref w, ref g, stepScale, d);
                bias -= stepScale * biasGradient;
                biasGradient = 0f;
                inBatch = 0;
            }
        }
        Bias = bias;
        _biasGradient = biasGradient;
        _inBatch = inBatch;
    }

    /// <summary>Closes the epoch: a last, smaller batch is divided by its own size.</summary>
    public void FinishEpoch()
    {
        if (_inBatch == 0)
        {
            return;
        }
        float stepScale = _learningRate / _inBatch;
        TKernel.ApplyAndClear(ref MemoryMarshal.GetArrayDataReference(Weights), ref MemoryMarshal.GetArrayDataReference(_gradient), stepScale, _features);
        Bias -= stepScale * _biasGradient;
        _biasGradient = 0f;
        _inBatch = 0;
    }

    /// <summary>A cheap sentinel for divergence: a NaN or infinite weight reaches the bias within one batch.</summary>
    public bool IsFinite => float.IsFinite(Bias);
}
