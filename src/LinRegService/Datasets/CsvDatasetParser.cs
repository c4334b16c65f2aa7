using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;

namespace LinRegService.Datasets;

/// <summary>The limits one upload is held to while it is parsed.</summary>
/// <param name="MaxRows">Data rows (<c>Datasets:MaxRows</c>).</param>
/// <param name="MaxColumns">Columns, label included (<c>Datasets:MaxColumns</c>).</param>
/// <param name="MaxStoredBytes">Stored float32 bytes (the key's <c>maxDatasetBytes</c>); long.MaxValue without a key.</param>
internal sealed record CsvLimits(long MaxRows, int MaxColumns, long MaxStoredBytes);

/// <summary>What a parse found: the columns, the rows and the content hash of what was written.</summary>
internal sealed record ParsedCsv(IReadOnlyList<string> FeatureNames, string LabelName, long Rows, string ContentHash)
{
    public long Bytes => Rows * (FeatureNames.Count + 1) * sizeof(float);
}

/// <summary>Writes one chunk of rows: its index, its first row, its row count and its float32 bytes.</summary>
internal delegate Task ChunkWriter(int chunk, long firstRow, int rowCount, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

/// <summary>
/// Reads a CSV as it streams in with CsvHelper (its SIMD UTF-8 reader, invariant culture): a header
/// row, then numeric rows. Each row becomes float32 values, its features then its label, gathered
/// into chunks of <see cref="IDatasetStore.RowsPerChunk"/> rows that go to the <see cref="ChunkWriter"/>
/// as they fill, one write in flight while the next chunk is parsed; so at most two chunks are ever
/// held. The content hash (SHA-256 over the column names, then the stored bytes) is computed on the
/// way. A bad row throws a <see cref="DatasetUploadException"/> that says where, in words.
/// </summary>
internal static class CsvDatasetParser
{
    /// <summary>Longest row read: a row of 4097 columns of 30 characters is 120 KB; an unclosed quote is stopped here, not at the body's end.</summary>
    public const int MaxRowBytes = 1 << 20;

    /// <summary>Longest column name, as long as a dataset's own name may be.</summary>
    public const int MaxColumnNameLength = DatasetEndpoints.MaxNameLength;

    private static readonly CsvReaderOptions _options = new()
    {
        HasHeader = false, // the header is read as a row, so its errors can be worded here
        Separator = ',',
        TrimWhitespace = true,
        FormatProvider = CultureInfo.InvariantCulture,
        MaxRecordSize = MaxRowBytes,
        IncludeValuesInExceptions = false,
    };

    public static async Task<ParsedCsv> ParseAsync(Stream csv, string? label, CsvLimits limits, ChunkWriter write, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Datasets are stored as little-endian float32.");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using CsvReader reader = CsvReader.Create(csv, _options, leaveOpen: true);
        Layout? layout = null;
        float[] buffer = [];
        int inChunk = 0;
        int chunk = 0;
        long rows = 0;
        Task pending = Task.CompletedTask;
        try
        {
            while (await ReadAsync(reader, rows, cancellationToken))
            {
                if (layout is null)
                {
                    layout = ReadHeader(reader, label, limits);
                    hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\n', [.. layout.FeatureNames, "\u001f" + layout.LabelName]) + "\n"));
                    buffer = new float[IDatasetStore.RowsPerChunk(layout.FeatureNames.Count) * layout.Columns];
                    continue;
                }
                rows++;
                if (rows > limits.MaxRows)
                {
                    throw DatasetUploadException.OverLimit("Datasets:MaxRows", limits.MaxRows,
                        $"The CSV has more than {limits.MaxRows} rows, the most one dataset may have (Datasets:MaxRows).");
                }
                if (rows * layout.Columns * sizeof(float) > limits.MaxStoredBytes)
                {
                    throw DatasetUploadException.OverLimit("maxDatasetBytes", limits.MaxStoredBytes,
                        $"The dataset would take more than {limits.MaxStoredBytes} bytes stored as float32, this key's maxDatasetBytes quota.");
                }
                ReadRow(reader, layout, rows, buffer.AsSpan(inChunk * layout.Columns, layout.Columns));
                if (++inChunk * layout.Columns == buffer.Length)
                {
                    await FlushAsync();
                }
            }
            if (layout is null)
            {
                throw DatasetUploadException.BadCsv("The CSV is empty: send a header row with the column names, then one row of numbers per example.");
            }
            if (rows == 0)
            {
                throw DatasetUploadException.BadCsv("The CSV has a header but no rows: send one row of numbers per example under it.");
            }
            if (inChunk > 0)
            {
                await FlushAsync();
            }
            await pending;
        }
        catch
        {
            // The write in flight ends before the caller discards the upload's chunks, so none is written after.
            try
            {
                await pending;
            }
            catch (Exception) when (!pending.IsCompletedSuccessfully)
            {
                // The first failure is the one to report.
            }
            throw;
        }
        return new ParsedCsv(layout.FeatureNames, layout.LabelName, rows, Convert.ToHexStringLower(hash.GetHashAndReset()));

        async Task FlushAsync()
        {
            byte[] bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, inChunk * layout.Columns)).ToArray();
            hash.AppendData(bytes);
            await pending; // one write at a time, in order, while the next chunk is parsed
            pending = write(chunk, rows - inChunk, inChunk, bytes, cancellationToken);
            chunk++;
            inChunk = 0;
        }
    }

    private static async ValueTask<bool> ReadAsync(CsvReader reader, long rows, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (CsvFormatException error)
        {
            throw DatasetUploadException.BadCsv(rows == 0 && reader.RowNumber <= 1
                ? $"The header cannot be read: {error.Message}"
                : $"Row {rows + 1} cannot be read (a quoted field that is not closed, or a row longer than {MaxRowBytes} bytes): {error.Message}");
        }
    }

    /// <summary>The columns: names, where each goes (features in order, the label last).</summary>
    private sealed record Layout(string[] Names, int[] Slots, IReadOnlyList<string> FeatureNames, string LabelName)
    {
        public int Columns => Names.Length;
    }

    private static Layout ReadHeader(CsvReader header, string? label, CsvLimits limits)
    {
        int columns = header.FieldCount;
        if (columns > limits.MaxColumns)
        {
            throw DatasetUploadException.OverLimit("Datasets:MaxColumns", limits.MaxColumns,
                $"The header has {columns} columns; a dataset may have at most {limits.MaxColumns} (Datasets:MaxColumns), its label included.");
        }
        string[] names = new string[columns];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < columns; c++)
        {
            names[c] = header.GetString(c);
            if (names[c].Length == 0)
            {
                throw DatasetUploadException.BadCsv($"Column {c + 1} of the header has no name: the first row must name every column.");
            }
            if (names[c].Length > MaxColumnNameLength)
            {
                // A name is echoed by every list of datasets and drawn on plots: a long one would make each of them large.
                throw DatasetUploadException.BadCsv($"Column {c + 1} of the header has a name of {names[c].Length} characters; a column name may have at most {MaxColumnNameLength}.");
            }
            if (!seen.TryAdd(names[c], c))
            {
                throw DatasetUploadException.BadCsv($"The header names column \"{names[c]}\" twice (columns {seen[names[c]] + 1} and {c + 1}): column names must differ.");
            }
        }
        int labelColumn = columns - 1;
        if (label is not null && !seen.TryGetValue(label, out labelColumn))
        {
            throw DatasetUploadException.BadCsv($"The header has no column \"{label}\" to be the label; its columns are {Quoted(names)}.", "label");
        }
        if (columns < 2)
        {
            throw DatasetUploadException.BadCsv($"The header has only the column \"{names[0]}\": a dataset needs at least one feature column besides the label column.",
                label is null ? "body" : "label");
        }
        int[] slots = new int[columns];
        var features = new List<string>(columns - 1);
        for (int c = 0; c < columns; c++)
        {
            if (c == labelColumn)
            {
                slots[c] = columns - 1;
            }
            else
            {
                slots[c] = features.Count;
                features.Add(names[c]);
            }
        }
        return new Layout(names, slots, features, names[labelColumn]);
    }

    private static void ReadRow(CsvReader row, Layout layout, long number, Span<float> values)
    {
        if (row.FieldCount != layout.Columns)
        {
            throw DatasetUploadException.BadCsv($"Row {number} has {row.FieldCount} {(row.FieldCount == 1 ? "column" : "columns")}; the header has {layout.Columns}.");
        }
        for (int c = 0; c < layout.Columns; c++)
        {
            // float parsing takes ',' for a thousands separator: "2,5" (quoted) is no number here.
            if (!row.TryParse(c, out float value) || row.GetSpan(c).Contains((byte)','))
            {
                throw DatasetUploadException.BadCsv($"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(row.GetSpan(c))}\" is not a number.");
            }
            if (!float.IsFinite(value))
            {
                ReadOnlySpan<byte> text = row.GetSpan(c);
                bool overflow = !float.IsNaN(value) && !text.ContainsAny((byte)'i', (byte)'I');
                throw DatasetUploadException.BadCsv(overflow
                    ? $"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(text)}\" is too large for a float32 (at most ±3.4e38)."
                    : $"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(text)}\" is not a finite number.");
            }
            values[layout.Slots[c]] = value;
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> utf8)
    {
        string text = Encoding.UTF8.GetString(utf8.Length > 160 ? utf8[..160] : utf8);
        return text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text;
    }

    private static string Quoted(string[] names) =>
        string.Join(", ", names.Take(20).Select(n => $"\"{n}\"")) + (names.Length > 20 ? $" and {names.Length - 20} more" : "");
}
