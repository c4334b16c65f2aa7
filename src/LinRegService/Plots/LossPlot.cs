using LinRegService.Storage;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LinRegService.Plots;

/// <summary>
/// The epoch losses on a log scale, with the closed-form optimum's loss as a reference line.
/// ScottPlot has no log axis: it plots log10 of the values on a linear axis whose major ticks sit
/// on whole powers of ten, labelled with the real values, and whose minor ticks fall at 2…9 × 10^k.
/// The y range always spans whole decades, so even losses within one decade get labelled ticks.
/// Losses that are zero, negative or not finite (a diverged run) cannot be drawn and are left out.
/// </summary>
internal static class LossPlot
{
    public static Plot Build(JobRecord job)
    {
        Plot plot = PlotStyle.Create("Loss per epoch", "epoch", "mean loss (ŷ − y)²/2, log scale");
        int epochs = Math.Max(job.Request.Training?.Epochs ?? 0, Math.Max(job.EpochLosses.Count, 1));

        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < job.EpochLosses.Count; i++)
        {
            double loss = job.EpochLosses[i];
            if (double.IsFinite(loss) && loss > 0)
            {
                xs.Add(i + 1);
                ys.Add(Math.Log10(loss));
            }
        }
        if (xs.Count > 0)
        {
            ScottPlot.Plottables.Scatter losses = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            losses.MarkerSize = 6;
            losses.LineWidth = 2;
        }

        var decades = new List<double>(ys);
        if (job.Result?.ClosedForm is { Loss: > 0 and var optimum } && double.IsFinite(optimum))
        {
            ScottPlot.Plottables.HorizontalLine reference = plot.Add.HorizontalLine(Math.Log10(optimum));
            reference.LinePattern = LinePattern.Dashed;
            reference.LineWidth = 1.5f;
            reference.Color = Colors.DarkGreen;
            reference.LegendText = $"closed-form optimum {PlotStyle.Number(optimum).Replace('E', 'e')}";
            decades.Add(Math.Log10(optimum));
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = PowerOfTen,
        };
        double bottom = decades.Count > 0 ? Math.Floor(decades.Min()) : -4; // nothing yet: 1e-4 … 1
        double top = decades.Count > 0 ? Math.Ceiling(decades.Max()) : 0;
        top = top > bottom ? top : bottom + 1;
        // A hair beyond the decades: ScottPlot drops a tick that falls exactly on the edge.
        plot.Axes.SetLimits(0.5, epochs + 0.5, bottom - 0.02, top + 0.02);
        return plot;
    }

    /// <summary>The label of a major tick at 10^power: "0.001" near 1, "1e-5" far from it.</summary>
    internal static string PowerOfTen(double power)
    {
        int exponent = (int)Math.Round(power);
        return Math.Abs(exponent) <= 3 ? PlotStyle.Number(Math.Pow(10, exponent), "0.###") : $"1e{exponent}";
    }
}
