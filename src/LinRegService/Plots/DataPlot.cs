using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Training.Data;
using ScottPlot;

namespace LinRegService.Plots;

/// <summary>
/// The seed's scatter (<c>plt.scatter(features[:, k], labels)</c>) over the dataset's first rows,
/// regenerated from the job's seed or read from its stored dataset (the axes then named by its columns), with the learned line once the job has succeeded. One feature
/// on a flat plot cannot show the whole model, so the line is the model's prediction along feature
/// k with every other feature at its mean, 0: y = w_k·x + b.
/// </summary>
internal static class DataPlot
{
    /// <summary>Rows drawn at most: enough to show the spread, few enough for a quick SVG.</summary>
    public const int MaxRows = 2000;

    /// <summary>The feature drawn when none is asked for: the seed's plot shows its second feature.</summary>
    public static int DefaultFeature(int features) => Math.Min(1, features - 1);

    /// <summary>The plot of feature <paramref name="feature"/> of <paramref name="data"/>, the job's first rows from <paramref name="source"/>.</summary>
    public static Plot Build(JobRecord job, DatasetSource source, Dataset data, int feature)
    {
        int rows = data.Examples;
        double[] xs = new double[rows];
        double[] ys = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            xs[i] = data.Row(i)[feature];
            ys[i] = data.Labels[i];
        }

        string shown = rows == source.Examples ? $"all {rows} rows" : $"first {rows} of {source.Examples} rows";
        (string featureName, string labelName) = source.AxisNames(feature);
        string title = source is DatasetSource.Stored ? $"{featureName} against {labelName}" : $"Feature {feature} against the label";
        Plot plot = PlotStyle.Create(title, $"{featureName} ({shown})", labelName);
        ScottPlot.Plottables.Scatter points = plot.Add.ScatterPoints(xs, ys);
        points.MarkerSize = 4;
        points.Color = Colors.SteelBlue.WithAlpha(0.6);

        if (job.Result is { } result && rows > 0)
        {
            double w = result.Weights[feature];
            double b = result.Bias;
            if (source is DatasetSource.Stored)
            {
                // Uploaded columns are not centered: the other features sit at their mean over the rows drawn.
                for (int j = 0; j < data.FeatureCount; j++)
                {
                    if (j != feature)
                    {
                        int column = j;
                        b += result.Weights[j] * Enumerable.Range(0, rows).Average(i => (double)data.Row(i)[column]);
                    }
                }
            }
            double from = xs.Min();
            double to = xs.Max();
            ScottPlot.Plottables.LinePlot line = plot.Add.Line(from, (w * from) + b, to, (w * to) + b);
            line.LineWidth = 2;
            line.Color = Colors.OrangeRed;
            line.MarkerSize = 0;
            line.LegendText = source is DatasetSource.Stored
                ? $"learned: {labelName} = {PlotStyle.Number(w, "G4")}·{featureName} + {PlotStyle.Number(b, "G4")}"
                : $"learned: y = {PlotStyle.Number(w, "F3")}·x[{feature}] + {PlotStyle.Number(b, "F3")}";
            plot.ShowLegend(Alignment.UpperLeft);
        }
        return plot;
    }
}
