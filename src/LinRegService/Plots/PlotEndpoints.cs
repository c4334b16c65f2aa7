using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Jobs;
using LinRegService.Storage;
using LinRegService.Training.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ScottPlot;

namespace LinRegService.Plots;

/// <summary>
/// <c>GET /api/jobs/{id}/plots/loss.svg|png</c> and <c>data.svg|png?feature=k</c>, rendered on
/// request from the stored job, at 720 × 440 pixels or the <c>width</c> and <c>height</c> asked for. A job without epochs yet gets empty axes, not an error, so a page can
/// show the plot from the start and refresh it. The ETag names the job's state, so an unchanged
/// plot costs a 304 instead of a render.
/// </summary>
internal static class PlotEndpoints
{
    /// <summary>Part of every ETag: bump it when the drawing changes, so no client keeps an old picture.</summary>
    private const string DrawingVersion = "1";

    private static readonly string _sizeDescription = $"`width` and `height` set the size in pixels ({PlotSize.MinWidth}–{PlotSize.MaxWidth} × "
        + $"{PlotSize.MinHeight}–{PlotSize.MaxHeight}; default {PlotStyle.Width} × {PlotStyle.Height}).";

    public static IEndpointRouteBuilder MapJobPlots(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder plots = app.MapGroup("/api/jobs/{id}/plots").WithTags("Plots");
        foreach (string format in new[] { PlotImage.Svg, PlotImage.Png })
        {
            string contentType = format == PlotImage.Svg ? "image/svg+xml" : "image/png";
            plots.MapGet($"loss.{format}", (string id, int? width, int? height, VisibleJobs jobs, HttpContext http, CancellationToken cancellationToken) =>
                    LossAsync(id, width, height, format, jobs, http, cancellationToken))
                .WithName($"GetLossPlot{format.ToUpperInvariant()}")
                .WithSummary($"The epoch losses as {format.ToUpperInvariant()}")
                .WithDescription("The mean loss after each finished epoch on a log scale, with the closed-form optimum's loss as a dashed "
                    + "reference line once the job has succeeded. Empty axes while no epoch has finished. " + _sizeDescription)
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .Produces(StatusCodes.Status304NotModified)
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound);
            plots.MapGet($"data.{format}", (string id, int? feature, int? width, int? height, VisibleJobs jobs, IDatasetStore datasets, HttpContext http, CancellationToken cancellationToken) =>
                    DataAsync(id, feature, width, height, format, jobs, datasets, http, cancellationToken))
                .WithName($"GetDataPlot{format.ToUpperInvariant()}")
                .WithSummary($"The seed's scatter of one feature against the label, as {format.ToUpperInvariant()}")
                .WithDescription($"Feature `feature` (0-based; default 1, the seed's plot, or 0 with one feature) of the first {DataPlot.MaxRows} rows "
                    + "regenerated from the job's seed (or read from its stored dataset, the axes named by its columns), against the label, "
                    + "with the learned line y = w_k·x + b (the other features at their mean, 0 for synthetic data) "
                    + "once the job has succeeded; 409 when the job's stored dataset has been deleted. " + _sizeDescription)
                .Produces<Stream>(StatusCodes.Status200OK, contentType)
                .Produces(StatusCodes.Status304NotModified)
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
        return app;
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> LossAsync(
        string id, int? width, int? height, string format, VisibleJobs jobs, HttpContext http, CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(id, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        (PlotSize size, Dictionary<string, string[]> errors) = PlotSize.Read(width, height);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        EntityTagHeaderValue tag = Tag(job, "loss", format, size);
        return IsUnchanged(http, tag) ? NotModified(http, tag) : Draw(http, LossPlot.Build(job), format, size, tag);
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ValidationProblem, ProblemHttpResult>> DataAsync(
        string id, int? feature, int? width, int? height, string format, VisibleJobs jobs, IDatasetStore datasets, HttpContext http, CancellationToken cancellationToken)
    {
        if (await jobs.FindAsync(id, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        if (await ResolvedJob.FromRecordAsync(job, datasets, cancellationToken) is not { } resolved)
        {
            return Problems.DatasetDeleted(id, ResolvedJob.StoredDatasetId(job.Request)!);
        }
        int features = resolved.Source.Features;
        int column = feature ?? DataPlot.DefaultFeature(features);
        (PlotSize size, Dictionary<string, string[]> errors) = PlotSize.Read(width, height);
        if (column < 0 || column >= features)
        {
            errors["feature"] = [$"feature must be a whole number from 0 to {features - 1} (the job has {features} features); got {column}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        EntityTagHeaderValue tag = Tag(job, $"data{column}", format, size);
        if (IsUnchanged(http, tag))
        {
            return NotModified(http, tag);
        }
        Dataset rows = await resolved.Source.ReadRowsAsync(datasets, 0, Math.Min(resolved.Source.Examples, DataPlot.MaxRows), cancellationToken);
        return Draw(http, DataPlot.Build(job, resolved.Source, rows, column), format, size, tag);
    }

    /// <summary>Everything the picture depends on: its size, status (result), attempt and epochs done.</summary>
    private static EntityTagHeaderValue Tag(JobRecord job, string plot, string format, PlotSize size) =>
        new($"\"{DrawingVersion}-{plot}-{format}-{size}-{job.Id}-{JobStatusText.Of(job.Status)}-{job.Attempts}-{job.EpochLosses.Count}\"");

    private static bool IsUnchanged(HttpContext http, EntityTagHeaderValue tag) =>
        http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(tag, useStrongComparison: false));

    private static StatusCodeHttpResult NotModified(HttpContext http, EntityTagHeaderValue tag)
    {
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = tag.ToString();
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    private static FileContentHttpResult Draw(HttpContext http, Plot plot, string format, PlotSize size, EntityTagHeaderValue tag)
    {
        http.Response.Headers.CacheControl = "no-cache"; // it changes while the job runs: revalidate each time
        (byte[] bytes, string contentType) = PlotImage.Render(plot, format, size);
        return TypedResults.File(bytes, contentType, entityTag: tag);
    }
}
