using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Plots;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LinRegService.Sweeps;

/// <summary>
/// <c>GET /api/sweeps/{id}/plots/losses.svg|png</c> and <c>final.svg|png?x=&lt;field&gt;</c>, drawn on
/// request from the sweep's jobs; the ETag names every job's state, so an unchanged plot is a 304.
/// </summary>
internal static class SweepPlots
{
    private const string DrawingVersion = "1";

    /// <summary>Wider than a job's plot: the legend has a line per grid point.</summary>
    internal static readonly PlotSize DefaultSize = new(1000, 560);

    public static IEndpointRouteBuilder MapSweepPlots(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder plots = app.MapGroup("/api/sweeps/{id}/plots").WithTags("Sweeps");
        string size = $"`width` and `height` set the size in pixels ({PlotSize.MinWidth}–{PlotSize.MaxWidth} × {PlotSize.MinHeight}–{PlotSize.MaxHeight}; "
            + $"default {DefaultSize.Width} × {DefaultSize.Height}).";
        foreach (string format in new[] { PlotImage.Svg, PlotImage.Png })
        {
            string contentType = format == PlotImage.Svg ? "image/svg+xml" : "image/png";
            plots.MapGet($"losses.{format}", (string id, int? width, int? height, VisibleSweeps sweeps, HttpContext http, CancellationToken cancellationToken) =>
                    DrawAsync(id, null, null, width, height, format, sweeps, http, cancellationToken))
                .WithName($"GetSweepLossesPlot{format.ToUpperInvariant()}")
                .WithSummary($"Every job's loss curve on one plot, as {format.ToUpperInvariant()}")
                .WithDescription("The epoch losses of every grid point on one log-scale plot, a legend line per point; diverged runs are dashed and marked. " + size)
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .Produces(StatusCodes.Status304NotModified)
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound);
            plots.MapGet($"final.{format}", (string id, string? x, string? y, int? width, int? height, VisibleSweeps sweeps, HttpContext http, CancellationToken cancellationToken) =>
                    DrawAsync(id, x ?? "", y, width, height, format, sweeps, http, cancellationToken))
                .WithName($"GetSweepFinalPlot{format.ToUpperInvariant()}")
                .WithSummary($"Final loss against one grid field, as {format.ToUpperInvariant()}")
                .WithDescription("Each job's final result (log scale) against the grid field `x` (default the first; a log axis where its values span "
                    + "two decades or more), one line per combination of the other grid fields. `y` picks the result: `finalSquaredLoss` (default, "
                    + "comparable across loss functions), `finalLoss` (the job's own loss) or `weightError` (‖w − ŵ‖₂: how far from the true weights, "
                    + "what an outlier shows best). " + size)
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .Produces(StatusCodes.Status304NotModified)
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
        return app;
    }

    /// <summary>The losses plot when <paramref name="x"/> is null, else the final-loss plot over <paramref name="x"/> ("" for the first field).</summary>
    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> DrawAsync(
        string id, string? x, string? y, int? width, int? height, string format, VisibleSweeps sweeps, HttpContext http, CancellationToken cancellationToken)
    {
        if (await sweeps.FindAsync(id, cancellationToken) is not { } sweep)
        {
            return SweepEndpoints.NotFound(id);
        }
        (PlotSize size, Dictionary<string, string[]> errors) = PlotSize.Read(width, height, DefaultSize);
        IReadOnlyList<string> fields = [.. sweep.Request.Grid?.Keys ?? []];
        string? field = x is null ? null : x.Length == 0 ? (fields.Count > 0 ? fields[0] : "") : x;
        if (field is not null && !fields.Contains(field))
        {
            errors["x"] = [$"x must be a field of the sweep's grid ({string.Join(", ", fields)}); got '{x}'."];
        }
        FinalValue value = FinalValue.FinalSquaredLoss;
        if (!string.IsNullOrEmpty(y) && !Enum.TryParse(y, ignoreCase: true, out value))
        {
            errors["y"] = [$"y must be one of finalSquaredLoss, finalLoss, weightError; got '{y}'."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        // The ETag from the jobs' states and their losses' counts: a 304 costs no loss read and no drawing.
        List<JobRecord> jobs = await sweeps.JobsAsync(id, withLosses: false, cancellationToken);
        Dictionary<string, LossSummary> losses = await sweeps.LossSummariesAsync(id, cancellationToken);
        string state = string.Join(".", jobs.Select(j => $"{j.Id}:{(int)j.Status}:{j.Attempts}:{losses.GetValueOrDefault(j.Id).Count}"));
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{field}|{value}|{state}")))[..20];
        var tag = new EntityTagHeaderValue($"\"{DrawingVersion}-{(field is null ? "losses" : "final")}-{format}-{size}-{hash}\"");
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(tag, useStrongComparison: false)))
        {
            http.Response.Headers.ETag = tag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        ScottPlot.Plot plot;
        if (field is null)
        {
            List<JobRecord> withLosses = await sweeps.JobsAsync(id, withLosses: true, cancellationToken);
            plot = SweepPlotDrawing.Losses(sweep.ToContract(withLosses), withLosses.ToDictionary(j => j.Id, j => j.EpochLosses));
        }
        else
        {
            plot = SweepPlotDrawing.Final(sweep.ToContract(jobs, losses), field, value);
        }
        (byte[] bytes, string contentType) = PlotImage.Render(plot, format, size);
        return TypedResults.File(bytes, contentType, entityTag: tag);
    }
}
