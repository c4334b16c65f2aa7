using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using nietras.SeparatedValues;

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
/// Reads a CSV as it streams in with Sep (invariant culture, its SIMD float parser): a header row,
/// then numeric rows. Each row becomes float32 values, its features then its label, gathered into
/// chunks of <see cref="IDatasetStore.RowsPerChunk"/> rows that go to the <see cref="ChunkWriter"/>
/// as they fill; only one chunk is ever held. The content hash (SHA-256 over the column names, then
/// the stored bytes) is computed on the way. A bad row throws a <see cref="DatasetUploadException"/>
/// that says where, in words.
/// </summary>
internal static class CsvDatasetParser
{
    private static readonly SepReaderOptions _options = Sep.New(',').Reader(o => o with
    {
        HasHeader = false, // the header is read as a row, so its errors can be worded here
        DisableColCountCheck = true, // ragged rows are reported here, with their row number
        CultureInfo = CultureInfo.InvariantCulture,
        Unescape = true,
        Trim = SepTrim.Outer,
    });

    public static async Task<ParsedCsv> ParseAsync(Stream csv, string? label, CsvLimits limits, ChunkWriter write, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Datasets are stored as little-endian float32.");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using SepReader reader = await _options.FromAsync(csv, cancellationToken);
        Layout? layout = null;
        float[] buffer = [];
        int inChunk = 0;
        int chunk = 0;
        long rows = 0;
        await foreach (SepReader.Row row in reader.WithCancellation(cancellationToken))
        {
            if (layout is null)
            {
                layout = ReadHeader(row, label, limits);
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
            ReadRow(row, layout, rows, buffer.AsSpan(inChunk * layout.Columns, layout.Columns));
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
        return new ParsedCsv(layout.FeatureNames, layout.LabelName, rows, Convert.ToHexStringLower(hash.GetHashAndReset()));

        async Task FlushAsync()
        {
            ReadOnlyMemory<byte> bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, inChunk * layout.Columns)).ToArray();
            hash.AppendData(bytes.Span);
            await write(chunk, rows - inChunk, inChunk, bytes, cancellationToken);
            chunk++;
            inChunk = 0;
        }
    }

    /// <summary>The columns: names, where each goes (features in order, the label last).</summary>
    private sealed record Layout(string[] Names, int[] Slots, IReadOnlyList<string> FeatureNames, string LabelName)
    {
        public int Columns => Names.Length;
    }

    private static Layout ReadHeader(SepReader.Row header, string? label, CsvLimits limits)
    {
        int columns = header.ColCount;
        if (columns > limits.MaxColumns)
        {
            throw DatasetUploadException.OverLimit("Datasets:MaxColumns", limits.MaxColumns,
                $"The header has {columns} columns; a dataset may have at most {limits.MaxColumns} (Datasets:MaxColumns), its label included.");
        }
        string[] names = new string[columns];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < columns; c++)
        {
            names[c] = header[c].ToString();
            if (names[c].Length == 0)
            {
                throw DatasetUploadException.BadCsv($"Column {c + 1} of the header has no name: the first row must name every column.");
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

    private static void ReadRow(SepReader.Row row, Layout layout, long number, Span<float> values)
    {
        if (row.ColCount != layout.Columns)
        {
            throw DatasetUploadException.BadCsv($"Row {number} has {row.ColCount} {(row.ColCount == 1 ? "column" : "columns")}; the header has {layout.Columns}.");
        }
        for (int c = 0; c < layout.Columns; c++)
        {
            SepReader.Col col = row[c];
            // Sep falls back to float.TryParse, which takes ',' for a thousands separator: "2,5" (quoted) is no number here.
            if (col.TryParse<float>() is not float value || col.Span.Contains(','))
            {
                throw DatasetUploadException.BadCsv($"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(col.Span)}\" is not a number.");
            }
            if (!float.IsFinite(value))
            {
                bool overflow = !float.IsNaN(value) && !col.Span.ContainsAny('i', 'I');
                throw DatasetUploadException.BadCsv(overflow
                    ? $"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(col.Span)}\" is too large for a float32 (at most ±3.4e38)."
                    : $"Row {number}, column \"{layout.Names[c]}\": \"{Excerpt(col.Span)}\" is not a finite number.");
            }
            values[layout.Slots[c]] = value;
        }
    }

    private static string Excerpt(ReadOnlySpan<char> text) => text.Length > 40 ? string.Concat(text[..40], "…") : text.ToString();

    private static string Quoted(string[] names) =>
        string.Join(", ", names.Take(20).Select(n => $"\"{n}\"")) + (names.Length > 20 ? $" and {names.Length - 20} more" : "");
}
