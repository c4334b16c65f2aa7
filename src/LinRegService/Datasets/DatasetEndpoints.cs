using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.RateLimits;
using LinRegService.Training.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinRegService.Datasets;

/// <summary>The <c>/api/datasets</c> endpoints: upload a CSV, read, list, page through and delete datasets.</summary>
internal static class DatasetEndpoints
{
    /// <summary>Rows of a dataset's <c>firstRows</c>.</summary>
    public const int FirstRows = 10;

    /// <summary>Most rows of one <c>/rows</c> page.</summary>
    public const int MaxRowsPage = 1000;

    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder datasets = app.MapGroup("/api/datasets").WithTags("Datasets");
        long maxBytes = app.ServiceProvider.GetRequiredService<IOptions<DatasetsOptions>>().Value.MaxBytes;

        datasets.MapPost("", UploadAsync)
            .WithName("UploadDataset")
            .WithSummary("Upload a dataset as CSV")
            .WithDescription("The body is a CSV (`Content-Type: text/csv`), or a `multipart/form-data` form with the CSV as its one file: a header row naming the columns, "
                + "then one row of numbers per example (invariant culture: `.` for decimals). `label` names the label column (default: the last); every other column "
                + "is a feature, in the file's order. `name` is kept with the dataset. The CSV is parsed as it arrives and stored as float32 rows; a bad cell is a 400 "
                + "that says where (`Row 17, column \"current\": \"abc\" is not a number.`), an upload over `Datasets:MaxBytes`, `Datasets:MaxRows`, "
                + "`Datasets:MaxColumns` or the key's `maxDatasetBytes` a 413 naming it; then nothing is stored. The same data uploaded again by the same key "
                + "answers 200 with the dataset it made before.")
            .WithMetadata(new Errors.BodyLimit(maxBytes, "Datasets:MaxBytes"))
            .CountsAsSubmission()
            .Produces<StoredDataset>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        datasets.MapGet("{id}", GetAsync)
            .WithName("GetDataset")
            .WithSummary("Read a dataset")
            .WithDescription("Its columns, size, content hash and first rows.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        datasets.MapGet("", ListAsync)
            .WithName("ListDatasets")
            .WithSummary("List datasets, newest first")
            .WithDescription("At most `limit` (1–100, default 20) per page; pass `next` back as `cursor` for the following page. Items leave out `firstRows`. "
                + "A user key sees its own datasets; an admin key every dataset, or with `owner` those of one key id.");

        datasets.MapGet("{id}/rows", RowsAsync)
            .WithName("GetDatasetRows")
            .WithSummary("Rows of a dataset")
            .WithDescription("Rows [offset, offset + count) as stored (count 1–1000, default 10): the features, in `featureNames` order, and the labels.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        datasets.MapDelete("{id}", DeleteAsync)
            .WithName("DeleteDataset")
            .WithSummary("Delete a dataset")
            .WithDescription("Removes the dataset and its rows; 409 while a queued or running job trains on it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<Results<Created<StoredDataset>, Ok<StoredDataset>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string? label, string? name, HttpRequest request, DatasetUploads uploads, IDatasetStore store, CancellationToken cancellationToken)
    {
        if (!IsCsvOrForm(request.ContentType))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Content-Type",
                detail: $"Send the CSV as {DatasetUploads.CsvMediaType}, or as the one file of a {DatasetUploads.FormMediaType} form; got '{request.ContentType}'.");
        }
        if (name is { Length: > MaxNameLength })
        {
            return Problems.BadField("name", $"name may have at most {MaxNameLength} characters; got {name.Length}.");
        }
        UploadOutcome outcome;
        try
        {
            outcome = await uploads.UploadAsync(request, label, name, cancellationToken);
        }
        catch (DatasetUploadException refused) when (refused.Status == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(refused.Limit!, refused.LimitValue!.Value, refused.Message);
        }
        catch (DatasetUploadException refused)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] },
                detail: refused.Message, title: "The CSV cannot be read");
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            DatasetUploadException refused = DatasetUploads.TooLarge(request.HttpContext.RequestServices.GetRequiredService<IOptions<DatasetsOptions>>().Value.MaxBytes);
            return TooLarge(refused.Limit!, refused.LimitValue!.Value, refused.Message);
        }
        StoredDataset answer = await ToContractAsync(outcome.Dataset, store, cancellationToken);
        return outcome.Created ? TypedResults.Created($"/api/datasets/{answer.Id}", answer) : TypedResults.Ok(answer);
    }

    /// <summary>Longest <c>?name=</c>.</summary>
    public const int MaxNameLength = 200;

    private static ProblemHttpResult TooLarge(string limit, long value, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The dataset is over a limit",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["limit"] = limit, ["max"] = value });

    private static bool IsCsvOrForm(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals(DatasetUploads.CsvMediaType, StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Equals(DatasetUploads.FormMediaType, StringComparison.OrdinalIgnoreCase));

    private static async Task<Results<Ok<StoredDataset>, ProblemHttpResult>> GetAsync(
        string id, VisibleDatasets datasets, IDatasetStore store, CancellationToken cancellationToken) =>
        await datasets.FindAsync(id, cancellationToken) is { } dataset ? TypedResults.Ok(await ToContractAsync(dataset, store, cancellationToken)) : NotFound(id);

    private static async Task<Results<Ok<DatasetList>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, string? owner, VisibleDatasets datasets, CancellationToken cancellationToken)
    {
        (int take, long? before, ValidationProblem? problem) = ListPaging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }
        DatasetPage page = await datasets.ListAsync(take, before, string.IsNullOrEmpty(owner) ? null : owner, cancellationToken);
        return TypedResults.Ok(new DatasetList([.. page.Items.Select(d => ToContract(d, null))],
            ListPaging.Next(page.NextBefore)));
    }

    private static async Task<Results<Ok<SamplesPage>, ValidationProblem, ProblemHttpResult>> RowsAsync(
        string id, int? offset, int? count, VisibleDatasets datasets, IDatasetStore store, IOptions<JobsOptions> jobs, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(id, cancellationToken) is not { } dataset)
        {
            return NotFound(id);
        }
        int first = offset ?? 0;
        int rows = count ?? RowsPage.DefaultCount(MaxRowsPage, dataset.FeatureNames.Count, jobs.Value.MaxSampleValues);
        var errors = new Dictionary<string, string[]>();
        if (first < 0 || first >= dataset.Rows)
        {
            errors["offset"] = [$"offset must be between 0 and {dataset.Rows - 1} (the dataset has {dataset.Rows} rows); got {first}."];
        }
        if (RowsPage.CountError(rows, MaxRowsPage, dataset.FeatureNames.Count, jobs.Value.MaxSampleValues) is { } countError)
        {
            errors["count"] = [countError];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        Dataset page = await store.ReadRowsAsync(dataset, first, rows, cancellationToken);
        return TypedResults.Ok(new SamplesPage(first, JobMapping.Rows(page), page.Labels));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, VisibleDatasets datasets, IDatasetStore store, CancellationToken cancellationToken) =>
        await datasets.FindAsync(id, cancellationToken) is null ? NotFound(id) : await store.DeleteAsync(id, cancellationToken) switch
        {
            DatasetDeleteOutcome.Deleted => TypedResults.NoContent(),
            DatasetDeleteOutcome.NotFound => NotFound(id),
            _ => Problems.Conflict("The dataset is in use", $"A queued or running job trains on dataset '{id}'; cancel it or let it finish first."),
        };

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dataset not found", detail: $"No dataset has the id '{id}'.");

    private static async Task<StoredDataset> ToContractAsync(DatasetRecord dataset, IDatasetStore store, CancellationToken cancellationToken) =>
        ToContract(dataset, (await store.ReadRowsAsync(dataset, 0, FirstRows, cancellationToken)).ToSamples());

    private static StoredDataset ToContract(DatasetRecord dataset, JobSamples? firstRows) => new(
        dataset.Id, dataset.Name, dataset.Rows, [.. dataset.FeatureNames], dataset.LabelName, dataset.Bytes, dataset.ContentHash, dataset.CreatedAt, firstRows);
}
