using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Datasets;

/// <summary>Uploading and reading datasets through the API.</summary>
public static class DatasetsApi
{
    public static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string csv, string query = "") =>
        client.UploadAsync(Csv(csv), query);

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, HttpContent content, string query = "") =>
        client.PostAsync(new Uri("/api/datasets" + query, UriKind.Relative), content);

    /// <summary>Uploads <paramref name="csv"/> and insists on <paramref name="status"/> (201 by default).</summary>
    public static async Task<StoredDataset> UploadDatasetAsync(this HttpClient client, string csv, string query = "", HttpStatusCode status = HttpStatusCode.Created)
    {
        using HttpResponseMessage response = await client.UploadAsync(csv, query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return ApiJson.Read<StoredDataset>(body);
    }

    /// <summary>A CSV of <paramref name="rows"/> rows of <paramref name="features"/> features and a label, every value distinct.</summary>
    public static string Generate(int rows, int features = 2, int seed = 0)
    {
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(1, features).Select(i => $"x{i}")) + ",y\n");
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c <= features; c++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{seed + r + (c * 0.25)}").Append(c == features ? '\n' : ',');
            }
        }
        return csv.ToString();
    }

    /// <summary>Chunks in the host's store that no dataset owns: a failed, running or killed upload's.</summary>
    public static async Task<long> OrphanChunksAsync(IServiceProvider services)
    {
        await using System.Data.Common.DbConnection connection = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<LinRegService.Storage.StoreDatabase>(services).Dialect.OpenAsync(CancellationToken.None);
        await using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM dataset_chunks c WHERE NOT EXISTS (SELECT 1 FROM datasets d WHERE d.id = c.upload_id);";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first (only) message of a 400's <paramref name="field"/>.</summary>
    public static async Task<string> BadFieldMessageAsync(HttpResponseMessage response, string field)
    {
        JsonObject problem = await Problem.AssertBadFieldsAsync(response, field);
        return (string)problem["errors"]![field]![0]!;
    }
}
