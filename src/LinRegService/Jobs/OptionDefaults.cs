using LinRegService.Contracts;

namespace LinRegService.Jobs;

/// <summary>
/// The defaults of the training options and dataset perturbations that came after the book's
/// fields (loss, order, schedule, early stopping, outliers, standardize): today's behaviour. One place fills
/// them, for a new request (the resolver, after it checked what must go together), for a job
/// stored before they existed (the mapping to the engine, and its echoed request), so such a
/// job reads and reruns as it always did.
/// </summary>
internal static class OptionDefaults
{
    public static JobRequest Fill(JobRequest request) => request with
    {
        Dataset = request.Dataset is { } dataset ? Fill(dataset) : null,
        Training = request.Training is { } training ? Fill(training) : null,
    };

    /// <summary>A stored dataset (<c>id</c>) has none of the synthetic options, so none is filled in: its echoed request stays resubmittable.</summary>
    public static DatasetRequest Fill(DatasetRequest dataset) => dataset.Id is not null ? dataset : dataset with
    {
        Outliers = dataset.Outliers is { } outliers ? Fill(outliers) : null,
        Order = dataset.Order ?? DatasetOrder.Generated,
    };

    public static OutliersRequest Fill(OutliersRequest outliers) => outliers with
    {
        Rows = outliers.Rows ?? [],
        Label = outliers.Label ?? 0f,
        Fraction = outliers.Fraction ?? 0,
        Shift = outliers.Shift ?? 0f,
    };

    public static TrainingRequest Fill(TrainingRequest training) => training with
    {
        Loss = training.Loss ?? TrainingLoss.Squared,
        HuberDelta = training.HuberDelta ?? BookDefaults.HuberDelta,
        Shuffle = training.Shuffle ?? true,
        Schedule = training.Schedule ?? LearningRateSchedule.Constant,
        DecayPower = training.DecayPower ?? BookDefaults.DecayPower,
        DecayEvery = training.DecayEvery ?? BookDefaults.DecayEvery,
        DecayFactor = training.DecayFactor ?? BookDefaults.DecayFactor,
        Patience = training.Patience ?? BookDefaults.Patience,
        Standardize = training.Standardize ?? false,
    };
}
