namespace LinRegService.Training.Sgd;

/// <summary>The loss over the whole dataset after an epoch (counting from 1).</summary>
public readonly record struct EpochLoss(int Epoch, double Loss);

/// <summary>What a training run learned.</summary>
/// <param name="Weights">Learned weights.</param>
/// <param name="Bias">Learned bias.</param>
/// <param name="EpochLosses">The mean of the loss trained on over the dataset after each epoch run ((ŷ − y)²/2 by default).</param>
public sealed record TrainingResult(float[] Weights, float Bias, double[] EpochLosses)
{
    /// <summary>Mean (ŷ − y)²/2 over the dataset with the learned parameters, whatever the loss: comparable across losses.</summary>
    public double FinalSquaredLoss { get; init; }

    /// <summary>Epochs trained: the epochs asked for, or fewer when early stopping ended training.</summary>
    public int EpochsRun => EpochLosses.Length;

    /// <summary>Early stopping ended training before the last epoch asked for.</summary>
    public bool StoppedEarly { get; init; }
}

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
