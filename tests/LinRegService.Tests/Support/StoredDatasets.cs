using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LinRegService.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Support;

/// <summary>
/// Datasets made through the real <see cref="IDatasetStore"/> as an upload makes them (chunks
/// written, then committed), for tests of jobs on a stored dataset.
/// </summary>
public static class StoredDatasets
{
    /// <summary>Stores the rows in the test host's own store.</summary>
    public static Task<DatasetRecord> StoreAsync(
        this ServiceFactory factory, string[] featureNames, string labelName, float[][] features, float[] labels, string? owner = null, string? name = null) =>
        StoreAsync(factory.Services.GetRequiredService<IDatasetStore>(), featureNames, labelName, features, labels, owner, name);

    /// <summary>Stores the rows (one array of features per row, one label per row) in chunks, then commits the dataset.</summary>
    public static async Task<DatasetRecord> StoreAsync(
        IDatasetStore store, string[] featureNames, string labelName, float[][] features, float[] labels, string? owner = null, string? name = null)
    {
        int d = featureNames.Length;
        string id = Guid.CreateVersion7().ToString("N");
        int perChunk = IDatasetStore.RowsPerChunk(d);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int chunk = 0;
        for (int first = 0; first < labels.Length; first += perChunk, chunk++)
        {
            int count = Math.Min(perChunk, labels.Length - first);
            float[] values = new float[count * (d + 1)];
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(d, features[first + i].Length);
                features[first + i].CopyTo(values, i * (d + 1));
                values[(i * (d + 1)) + d] = labels[first + i];
            }
            byte[] bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            hash.AppendData(bytes);
            await store.WriteChunkAsync(id, chunk, first, count, bytes, CancellationToken.None);
        }
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join(",", featureNames) + "|" + labelName));
        var record = new DatasetRecord(id, owner, name, labels.Length, featureNames, labelName, (long)labels.Length * (d + 1) * sizeof(float),
            Convert.ToHexString(hash.GetHashAndReset()), DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        return await store.CommitAsync(record, CancellationToken.None);
    }

    /// <summary>A CSV with a header row, every other column a feature: (feature names, label name, features, labels).</summary>
    public static (string[] FeatureNames, string LabelName, float[][] Features, float[] Labels) ReadCsv(string path, string label)
    {
        string[] lines = [.. File.ReadAllLines(path).Where(l => l.Trim().Length > 0)];
        string[] header = [.. lines[0].Split(',').Select(h => h.Trim())];
        int labelColumn = Array.IndexOf(header, label);
        Assert.True(labelColumn >= 0, $"{path} has no column '{label}'.");
        string[] featureNames = [.. header.Where((_, i) => i != labelColumn)];
        var features = new List<float[]>();
        var labels = new List<float>();
        foreach (string line in lines.Skip(1))
        {
            float[] values = [.. line.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];
            features.Add([.. values.Where((_, i) => i != labelColumn)]);
            labels.Add(values[labelColumn]);
        }
        return (featureNames, header[labelColumn], [.. features], [.. labels]);
    }

    /// <summary>The repository's root (the folder holding LinRegService.sln), for files such as docs/examples.</summary>
    public static string RepositoryFile(string relativePath)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LinRegService.sln")))
            {
                return Path.Combine(dir.FullName, relativePath);
            }
        }
        throw new FileNotFoundException($"No LinRegService.sln above {AppContext.BaseDirectory}.");
    }
}
