using System.Runtime.CompilerServices;

namespace LinRegService.Training.Kernels;

/// <summary>
/// A per-row loss L(r) of the residual r = ŷ − y, chosen as a generic struct argument so the JIT
/// compiles the step and loss loops once per loss with it inlined: the squared loss's gradient is
/// the residual itself, and its loop is the same machine code as before losses were a choice.
/// The loss acts on one residual per row; the vector work of a row (its dot product and scaled
/// add) is the step kernel's, so each loss runs in both <see cref="ScalarStepKernel"/> and
/// <see cref="VectorStepKernel"/>.
/// </summary>
internal interface ILoss
{
    /// <summary>dL/dr in float32, as the step accumulates it (the gradient of the row is this times x).</summary>
    static abstract float Gradient(float residual, float delta);

    /// <summary>2·L(r) in float64: the loss pass sums these and divides by 2n, which for the squared loss is exactly the sum of squares it always was.</summary>
    static abstract double TwiceLoss(double residual, double delta);
}

/// <summary>(ŷ − y)²/2, the book's loss: gradient r.</summary>
internal readonly struct SquaredLoss : ILoss
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gradient(float residual, float delta) => residual;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwiceLoss(double residual, double delta) => residual * residual;
}

/// <summary>|ŷ − y|: gradient sign(r), so one far-off label pulls no harder than a near one.</summary>
internal readonly struct AbsoluteLoss : ILoss
{
    /// <remarks>
    /// Branch-free ±1 (at r = 0 a subgradient of ±1 is as good as 0). Adding r·0 keeps a NaN or
    /// infinite residual NaN, so a diverged model still reaches the bias and is caught.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gradient(float residual, float delta) => MathF.CopySign(1f, residual) + (residual * 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwiceLoss(double residual, double delta) => 2.0 * Math.Abs(residual);
}

/// <summary>Huber: r²/2 within ±δ, δ(|r| − δ/2) beyond; gradient r clamped to [−δ, δ].</summary>
internal readonly struct HuberLoss : ILoss
{
    /// <remarks>Min and max rather than Math.Clamp: no argument check, and a NaN residual stays NaN.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gradient(float residual, float delta) => MathF.Min(MathF.Max(residual, -delta), delta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwiceLoss(double residual, double delta)
    {
        double magnitude = Math.Abs(residual);
        return magnitude <= delta ? residual * residual : delta * ((2.0 * magnitude) - delta);
    }
}
