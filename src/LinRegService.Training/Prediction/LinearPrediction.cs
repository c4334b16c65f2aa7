using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinRegService.Training.Kernels;

namespace LinRegService.Training.Prediction;

/// <summary>
/// ŷ = Xw + b for a batch of rows, with the trainer's own dot product, so a prediction is the
/// forward pass the model was trained with.
/// </summary>
public static class LinearPrediction
{
    /// <summary>
    /// predictions[i] = features[i·d .. (i+1)·d) · weights + bias, where d = weights.Length and
    /// <paramref name="features"/> holds the rows one after another.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths do not fit predictions.Length rows of weights.Length values.</exception>
    public static void Predict(ReadOnlySpan<float> features, ReadOnlySpan<float> weights, float bias, Span<float> predictions) =>
        Predict<VectorStepKernel>(features, weights, bias, predictions);

    /// <summary>The same with the kernel chosen: <see cref="ScalarStepKernel"/> is the reference the vector one is held to.</summary>
    internal static void Predict<TKernel>(ReadOnlySpan<float> features, ReadOnlySpan<float> weights, float bias, Span<float> predictions)
        where TKernel : IStepKernel
    {
        int d = weights.Length;
        if (d < 1)
        {
            throw new ArgumentException("At least one weight is needed.", nameof(weights));
        }
        if ((long)predictions.Length * d != features.Length)
        {
            throw new ArgumentException($"features must hold predictions.Length × weights.Length = {(long)predictions.Length * d} values; got {features.Length}.", nameof(features));
        }
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float x = ref MemoryMarshal.GetReference(features);
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = TKernel.Dot(ref Unsafe.Add(ref x, (nint)i * d), ref w, d) + bias;
        }
    }
}
