namespace LinRegService.Training.Sgd;

/// <summary>The loss over the whole dataset after an epoch (counting from 1).</summary>
public readonly record struct EpochLoss(int Epoch, double Loss);

/// <summary>What a training run learned.</summary>
/// <param name="Weights">Learned weights.</param>
/// <param name="Bias">Learned bias.</param>
/// <param name="EpochLosses">Mean (ŷ − y)²/2 over the dataset after each epoch.</param>
public sealed record TrainingResult(float[] Weights, float Bias, double[] EpochLosses);

/// <summary>Training stopped because the loss or the parameters stopped being finite (learning rate too large).</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the epoch (from 1) in which training diverged.</summary>
    public TrainingDivergedException(int epoch)
        : base($"Training diverged at epoch {epoch}: the loss is no longer finite. Lower the learning rate.")
    {
        Epoch = epoch;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public TrainingDivergedException() : base("Training diverged.") { }

    /// <summary>Creates the exception with a message of its own.</summary>
    public TrainingDivergedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The epoch, counting from 1, in which the loss or a parameter became NaN or infinite.</summary>
    public int Epoch { get; }
}
