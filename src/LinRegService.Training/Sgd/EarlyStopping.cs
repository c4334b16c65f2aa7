namespace LinRegService.Training.Sgd;

/// <summary>
/// scikit-learn's rule (SGDRegressor with n_iter_no_change): an epoch whose loss is above the best
/// so far minus the tolerance counts as no improvement, any other resets the count; training
/// stops when the count reaches the patience. The best loss is the lowest seen, improved by the
/// tolerance or not.
/// </summary>
internal sealed class EarlyStopping(double tolerance, int patience)
{
    private double _best = double.PositiveInfinity;
    private int _withoutImprovement;

    /// <summary>Takes one epoch's loss; true when training should stop after it.</summary>
    public bool ShouldStopAfter(double loss)
    {
        _withoutImprovement = loss > _best - tolerance ? _withoutImprovement + 1 : 0;
        _best = Math.Min(_best, loss);
        return _withoutImprovement >= patience;
    }
}
