using LinRegService.Jobs;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The ranges the handlers check on query and header parameters, from the same constants and
/// settings the handlers read, so the document cannot drift from them. Bounds that depend on the
/// job (the last row, the number of features) stay in the descriptions.
/// </summary>
internal sealed class ParameterLimitsFilter(IOptions<JobsOptions> options) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (OpenApiParameter parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                Limit(operation.OperationId, parameter, schema);
            }
        }
    }

    private void Limit(string? operation, OpenApiParameter parameter, OpenApiSchema schema)
    {
        switch (operation, parameter.Name)
        {
            case ("SubmitJob" or "SubmitSweep", "Idempotency-Key"):
                // Bound as all the header's values (two headers are a 400, not one merged key); documented as the one string it must be.
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MaxLength = IdempotencyKeys.MaxLength, // an empty value binds as no key, so no minLength
                    Pattern = IdempotencyKeys.Pattern,
                };
                parameter.Description = $"Makes a retried submission return the original {(operation == "SubmitJob" ? "job" : "sweep")} (same key and body); "
                    + "the same key with another body is a 409. Keys are the caller's own: another API key's same key is another key.";
                break;
            case ("ListJobs" or "ListSweeps", "limit"):
                schema.Range(1, JobEndpoints.MaxListLimit).Default(JobEndpoints.DefaultListLimit);
                parameter.Description = operation == "ListJobs" ? "Most jobs on the page." : "Most sweeps on the page.";
                break;
            case ("ListDatasets", "limit"):
                schema.Range(1, JobEndpoints.MaxListLimit).Default(JobEndpoints.DefaultListLimit);
                parameter.Description = "Most datasets on the page.";
                break;
            case ("ListDatasets", "cursor"):
                parameter.Description = "The `next` of the previous page.";
                break;
            case ("ListDatasets", "owner"):
                parameter.Description = "Admin keys: only the datasets of the API key with this id. A user key always lists its own datasets.";
                break;
            case ("UploadDataset", "label"):
                parameter.Description = "The label column's name (default: the last column).";
                break;
            case ("UploadDataset", "name"):
                parameter.Description = $"A name kept with the dataset (at most {Datasets.DatasetEndpoints.MaxNameLength} characters).";
                break;
            case ("GetDatasetRows", "offset"):
                schema.Range(minimum: 0).Default(0);
                parameter.Description = "Index of the first row; below the dataset's number of rows.";
                break;
            case ("GetDatasetRows", "count"):
                schema.Range(1, Datasets.DatasetEndpoints.MaxRowsPage).Default(JobEndpoints.DefaultSampleRows);
                parameter.Description = "How many rows (fewer at the end of the dataset).";
                break;
            case ("ListSweeps", "cursor"):
                parameter.Description = "The `next` of the previous page.";
                break;
            case ("ListSweeps", "owner"):
                parameter.Description = "Admin keys: only the sweeps of the API key with this id. A user key always lists its own sweeps.";
                break;
            case (_, "x") when operation?.StartsWith("GetSweepFinalPlot", StringComparison.Ordinal) == true:
                parameter.Description = "The grid field on the horizontal axis (default: the grid's first field).";
                break;
            case (_, "y") when operation?.StartsWith("GetSweepFinalPlot", StringComparison.Ordinal) == true:
                schema.Enum = [.. _finalValues.Select(v => (System.Text.Json.Nodes.JsonNode)v)];
                schema.Default = "finalSquaredLoss";
                parameter.Description = "What the vertical axis shows: the final squared loss, the job's own final loss, or the weight error ‖w − ŵ‖₂.";
                break;
            case ("ListJobs", "cursor"):
                parameter.Description = "The `next` of the previous page.";
                break;
            case ("ListJobs", "owner"):
                parameter.Description = "Admin keys: only the jobs of the API key with this id. A user key always lists its own jobs "
                    + "(none for another key's id).";
                break;
            case ("GetJobSamples", "offset"):
                schema.Range(minimum: 0).Default(0);
                parameter.Description = "Index of the first row; below the job's number of examples.";
                break;
            case ("GetJobSamples", "count"):
                schema.Range(1, Math.Max(1, options.Value.MaxSampleCount)).Default(JobEndpoints.DefaultSampleRows);
                parameter.Description = "How many rows (fewer at the end of the dataset).";
                break;
            case (_, "width") when operation?.StartsWith("Get", StringComparison.Ordinal) == true && operation.Contains("Plot", StringComparison.Ordinal):
                schema.Range(Plots.PlotSize.MinWidth, Plots.PlotSize.MaxWidth).Default(IsSweepPlot(operation) ? Sweeps.SweepPlots.DefaultSize.Width : Plots.PlotStyle.Width);
                parameter.Description = "Width of the picture in pixels.";
                break;
            case (_, "height") when operation?.StartsWith("Get", StringComparison.Ordinal) == true && operation.Contains("Plot", StringComparison.Ordinal):
                schema.Range(Plots.PlotSize.MinHeight, Plots.PlotSize.MaxHeight).Default(IsSweepPlot(operation) ? Sweeps.SweepPlots.DefaultSize.Height : Plots.PlotStyle.Height);
                parameter.Description = "Height of the picture in pixels.";
                break;
            case (_, "feature") when operation?.StartsWith("GetDataPlot", StringComparison.Ordinal) == true:
                schema.Range(minimum: 0);
                parameter.Description = "0-based feature to plot, below the job's number of features (default 1, or 0 with one feature).";
                break;
        }
    }

    private static readonly string[] _finalValues = ["finalSquaredLoss", "finalLoss", "weightError"];

    private static bool IsSweepPlot(string? operation) => operation?.StartsWith("GetSweep", StringComparison.Ordinal) == true;
}
