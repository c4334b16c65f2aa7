using LinRegService.Auth;
using LinRegService.Jobs;
using LinRegService.Keys;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LinRegService.Datasets;

/// <summary>How an upload ended: the dataset, and whether it is new (201) or the same data uploaded before (200).</summary>
internal sealed record UploadOutcome(DatasetRecord Dataset, bool Created);

/// <summary>
/// One upload: the body (CSV, or the one file of a multipart form) streamed through
/// <see cref="CsvDatasetParser"/> into the store's chunks, then committed. Whatever stops it (bad
/// CSV, a limit, the client going away, the request aborted) discards the chunks already written,
/// so nothing is stored; a killed process leaves chunks the retention sweep purges.
/// </summary>
internal sealed class DatasetUploads(IDatasetStore store, ICaller caller, IOptions<DatasetsOptions> options, CallerQuotas quotas, TimeProvider clock)
{
    public const string CsvMediaType = "text/csv";
    public const string FormMediaType = "multipart/form-data";


    public async Task<UploadOutcome> UploadAsync(HttpRequest request, string? label, string? name, CancellationToken cancellationToken)
    {
        DatasetsOptions settings = options.Value;
        // The key's own maxDatasetBytes, else the Quotas default; none without a key.
        long maxStoredBytes = (await quotas.OfCallerAsync(cancellationToken))?.MaxDatasetBytes ?? long.MaxValue;
        var limits = new CsvLimits(settings.MaxRows, settings.MaxColumns, maxStoredBytes);
        string uploadId = Guid.CreateVersion7().ToString("N");
        try
        {
            await using var body = new CappedStream(request.Body, settings.MaxBytes);
            ParsedCsv parsed = await ParseBodyAsync(request, body, label, limits, uploadId, cancellationToken);
            var record = new DatasetRecord(uploadId, caller.KeyId, name, parsed.Rows, parsed.FeatureNames, parsed.LabelName, parsed.Bytes,
                parsed.ContentHash, clock.GetUtcNow());
            DatasetRecord committed = await store.CommitAsync(record, cancellationToken);
            return new UploadOutcome(committed, committed.Id == uploadId);
        }
        catch
        {
            // Nothing of a failed upload stays; not even on an abort, so not on the request's token.
            await store.DiscardAsync(uploadId, CancellationToken.None);
            throw;
        }
    }

    private async Task<ParsedCsv> ParseBodyAsync(HttpRequest request, Stream body, string? label, CsvLimits limits, string uploadId, CancellationToken cancellationToken)
    {
        Task Write(int chunk, long first, int count, ReadOnlyMemory<byte> data, CancellationToken token) =>
            store.WriteChunkAsync(uploadId, chunk, first, count, data, token);

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return await CsvDatasetParser.ParseAsync(body, label, limits, Write, cancellationToken);
        }
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        if (boundary.Length is 0 or > MaxBoundaryLength)
        {
            throw DatasetUploadException.BadCsv($"The multipart body needs a boundary of 1 to {MaxBoundaryLength} characters in its Content-Type; it has {boundary.Length}.");
        }
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = null };
        ParsedCsv? parsed = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition)
                    || !disposition.IsFileDisposition())
                {
                    continue; // a plain form field: not the file
                }
                if (parsed is not null)
                {
                    throw DatasetUploadException.BadCsv("The form carries more than one file; upload one CSV file at a time.");
                }
                parsed = await CsvDatasetParser.ParseAsync(section.Body, label, limits, Write, cancellationToken);
            }
        }
        catch (Exception broken) when (broken is InvalidDataException
            || (broken is IOException and not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // The reader's words for a form that breaks the multipart syntax (no closing boundary, a part header without ':'):
            // the client's mistake, so a 400. A connection that broke is not (the request is aborted), nor a body over its limit.
            throw DatasetUploadException.BadCsv($"The multipart body cannot be read: {broken.Message}");
        }
        return parsed ?? throw DatasetUploadException.BadCsv("The form carries no file: send the CSV as its one file part (e.g. curl -F file=@data.csv).");
    }

    /// <summary>The longest boundary RFC 2046 allows (and far below the reader's own limit, which it would answer with an exception).</summary>
    private const int MaxBoundaryLength = 70;

    /// <summary>The request body, refused past <see cref="DatasetsOptions.MaxBytes"/> however it is sent (Content-Length or chunked).</summary>
    private sealed class CappedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw TooLarge(maxBytes) : read;
        }
    }

    public static DatasetUploadException TooLarge(long maxBytes) => DatasetUploadException.OverLimit("Datasets:MaxBytes", maxBytes,
        $"The upload is larger than {maxBytes} bytes, the most one upload may send (Datasets:MaxBytes).");
}
