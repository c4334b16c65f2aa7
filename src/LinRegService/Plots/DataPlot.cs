using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Training.Data;
using ScottPlot;

namespace LinRegService.Plots;

/// <summary>
/// The seed's scatter (<c>plt.scatter(features[:, k], labels)</c>) over the dataset's first rows,
/// regenerated from the job's seed, with the learned line once the job has succeeded. One feature
/// on a flat plot cannot show the whole model, so the line is the model's prediction along feature
/// k with every other feature at its mean, 0: y = w_k·x + b.
/// </summary>
internal static class DataPlot
{
    /// <summary>Rows drawn at most: enough to show the spread, few enough for a quick SVG.</summary>
    public const int MaxRows = 2000;

    /// <summary>The feature drawn when none is asked for: the seed's plot shows its second feature.</summary>
    public static int DefaultFeature(int features) => Math.Min(1, features - 1);

    public static Plot Build(JobRecord job, int feature)
    {
        DatasetSpec dataset = ResolvedJob.FromRecord(job).Dataset;
        int rows = Math.Min(dataset.Examples, MaxRows);
        Dataset data = DatasetGenerator.GenerateRows(dataset, 0, rows);
        double[] xs = new double[rows];
        double[] ys = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            xs[i] = data.Row(i)[feature];
            ys[i] = data.Labels[i];
        }

        string shown = rows == dataset.Examples ? $"all {rows} rows" : $"first {rows} of {dataset.Examples} rows";
        Plot plot = PlotStyle.Create($"Feature {feature} against the label", $"feature x[{feature}] ({shown})", "label y");
        ScottPlot.Plottables.Scatter points = plot.Add.ScatterPoints(xs, ys);
        points.MarkerSize = 4;
        points.Color = Colors.SteelBlue.WithAlpha(0.6);

        if (job.Result is { } result && rows > 0)
        {
            double w = result.Weights[feature];
            double b = result.Bias;
            double from = xs.Min();
            double to = xs.Max();
            ScottPlot.Plottables.LinePlot line = plot.Add.Line(from, (w * from) + b, to, (w * to) + b);
            line.LineWidth = 2;
            line.Color = Colors.OrangeRed;
            line.MarkerSize = 0;
            line.LegendText = $"learned: y = {PlotStyle.Number(w, "F3")}·x[{feature}] + {PlotStyle.Number(b, "F3")}";
            plot.ShowLegend(Alignment.UpperLeft);
        }
        return plot;
    }
}
