using System.Text.Json;
using LinRegService.Contracts;
using LinRegService.Plots;
using ScottPlot;
using ScottPlot.TickGenerators;
using PlotStyle = LinRegService.Plots.PlotStyle;

namespace LinRegService.Sweeps;

/// <summary>
/// A sweep's two pictures. The loss curves: every job's epoch losses on one log-scale plot, a
/// legend line per grid point, diverged runs dashed and named so. The final losses: each job's final
/// squared loss against one grid field (on a log axis when its values span two decades or more),
/// one line per combination of the other fields. Log scales as in <see cref="LossPlot"/>: log10 of
/// the values on a linear axis with ticks labelled by the real values.
/// </summary>
internal static class SweepPlotDrawing
{
    public static Plot Losses(Sweep sweep, IReadOnlyDictionary<string, IReadOnlyList<double>> losses)
    {
        Plot plot = PlotStyle.Create("Loss per epoch, every grid point", "epoch", "mean loss, log scale");
        var curves = sweep.Jobs.Select(job => (Job: job, Points: Finite(losses.GetValueOrDefault(job.JobId) ?? []))).ToList();
        // The axes fit the runs that did not diverge: one that blew up to 1e60 would squash the rest
        // into a line. Its points above the top are drawn on the top edge, marked with an ×.
        List<double> decades = [.. curves.Where(c => !c.Job.Diverged).SelectMany(c => c.Points.Select(p => p.Y))];
        if (decades.Count == 0)
        {
            decades = [.. curves.SelectMany(c => c.Points.Select(p => p.Y))];
        }
        (double bottom, double top) = LogAxis(plot, decades);
        int epochs = Math.Max(1, curves.Select(c => losses.GetValueOrDefault(c.Job.JobId)?.Count ?? 0).DefaultIfEmpty(0).Max());
        foreach ((SweepJob job, List<(double X, double Y)> points) in curves)
        {
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Min(p.Y, top)).ToArray());
            line.MarkerSize = epochs <= 30 ? 5 : 0;
            line.LineWidth = 1.5f;
            line.LegendText = Label(job.Values) + (job.Diverged ? " (diverged)" : "");
            if (job.Diverged)
            {
                line.LinePattern = LinePattern.Dashed;
                line.MarkerShape = MarkerShape.Eks;
                line.MarkerSize = 7;
            }
        }
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0.5, epochs + 0.5);
        if (sweep.Jobs.Count > 0)
        {
            plot.ShowLegend(Edge.Right);
            plot.Legend.FontSize = sweep.Jobs.Count > 24 ? 8 : sweep.Jobs.Count > 12 ? 10 : 12;
        }
        return plot;
    }

    /// <summary>(epoch, log10 loss) of the losses a log axis can show: finite and positive.</summary>
    private static List<(double X, double Y)> Finite(IReadOnlyList<double> curve) =>
        [.. curve.Select((loss, i) => (X: i + 1.0, Loss: loss)).Where(p => double.IsFinite(p.Loss) && p.Loss > 0).Select(p => (p.X, Math.Log10(p.Loss)))];

    public static Plot Final(Sweep sweep, string x, FinalValue y = FinalValue.FinalSquaredLoss)
    {
        (string name, string axis, Func<SweepJob, double?> read) = y switch
        {
            FinalValue.FinalLoss => ("Final loss", "final mean loss (each job's own), log scale", (Func<SweepJob, double?>)(job => job.Status == JobStatus.Succeeded ? job.FinalLoss : null)),
            FinalValue.WeightError => ("Weight error", "‖w − ŵ‖₂, log scale", job => job.WeightErrorNorm),
            _ => ("Final squared loss", "final mean (ŷ − y)²/2, log scale", job => job.FinalSquaredLoss),
        };
        Plot plot = PlotStyle.Create($"{name} against {x}", x, axis);
        // The values the jobs ran with (as their stored requests say, defaults filled in), not as the grid spelled them.
        List<JsonElement> values = [.. sweep.Jobs.Select(job => job.Values[x]).DistinctBy(v => v.GetRawText())];
        bool numeric = values.Count > 0 && values.All(v => v.ValueKind == JsonValueKind.Number);
        bool logX = numeric && values.Select(v => v.GetDouble()).ToList() is var numbers && numbers.All(n => n > 0) && numbers.Max() / numbers.Min() >= 100;
        Dictionary<string, int> category = values.Select((v, i) => (v.GetRawText(), i)).ToDictionary(p => p.Item1, p => p.i);
        double Position(JsonElement value) => numeric
            ? (logX ? Math.Log10(value.GetDouble()) : value.GetDouble())
            : category[value.GetRawText()];

        var decades = new List<double>();
        foreach (IGrouping<string, SweepJob> line in sweep.Jobs.GroupBy(job => Label(job.Values.Where(v => v.Key != x))))
        {
            var points = line.Where(job => read(job) is { } v && v > 0 && double.IsFinite(v))
                .Select(job => (X: Position(job.Values[x]), Y: Math.Log10(read(job)!.Value))).OrderBy(p => p.X).ToList();
            decades.AddRange(points.Select(p => p.Y));
            ScottPlot.Plottables.Scatter scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            scatter.MarkerSize = 7;
            scatter.LineWidth = 1.5f;
            int diverged = line.Count(job => job.Diverged);
            scatter.LegendText = (line.Key.Length > 0 ? line.Key : name.ToLowerInvariant()) + (diverged > 0 ? $" ({diverged} diverged)" : "");
        }
        LogAxis(plot, decades);
        if (logX)
        {
            plot.Axes.Bottom.TickGenerator = new NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new LogMinorTickGenerator(),
                LabelFormatter = LossPlot.PowerOfTen,
            };
            double[] positions = [.. values.Select(v => Math.Log10(v.GetDouble()))];
            plot.Axes.SetLimitsX(Math.Floor(positions.Min()) - 0.02, Math.Ceiling(positions.Max()) + 0.02);
        }
        else if (!numeric)
        {
            var ticks = new NumericManual();
            for (int i = 0; i < values.Count; i++)
            {
                ticks.AddMajor(i, Text(values[i]));
            }
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Axes.SetLimitsX(-0.5, values.Count - 0.5);
        }
        if (sweep.Jobs.Count > 0)
        {
            plot.ShowLegend(Edge.Right);
        }
        return plot;
    }

    /// <summary>"learningRate=0.1, batchSize=10": each grid field by its last name.</summary>
    public static string Label(IEnumerable<KeyValuePair<string, JsonElement>> values) =>
        string.Join(", ", values.Select(v => $"{v.Key[(v.Key.LastIndexOf('.') + 1)..]}={Text(v.Value)}"));

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => PlotStyle.Number(value.GetDouble(), "G4"),
        _ => value.GetRawText(),
    };

    /// <summary>A log-scale y axis over whole decades around <paramref name="decades"/>; returns its bottom and top (log10).</summary>
    private static (double Bottom, double Top) LogAxis(Plot plot, List<double> decades)
    {
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = LossPlot.PowerOfTen,
        };
        double bottom = decades.Count > 0 ? Math.Floor(decades.Min()) : -4;
        double top = decades.Count > 0 ? Math.Ceiling(decades.Max()) : 0;
        top = top > bottom ? top : bottom + 1;
        plot.Axes.SetLimitsY(bottom - 0.02, top + 0.02);
        return (bottom, top);
    }
}

/// <summary>What the final plot's vertical axis shows for each job.</summary>
internal enum FinalValue
{
    /// <summary>The mean (ŷ − y)²/2 at the end, whatever the job's loss: comparable across losses.</summary>
    FinalSquaredLoss,

    /// <summary>The last epoch's mean of the job's own loss.</summary>
    FinalLoss,

    /// <summary>‖w − ŵ‖₂: how far the learned weights are from the true ones.</summary>
    WeightError,
}
