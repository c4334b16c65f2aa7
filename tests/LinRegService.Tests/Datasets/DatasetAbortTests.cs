using System.Net;
using System.Text;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Datasets;

/// <summary>The datasets host on a real loopback socket: a client that dies mid-body breaks a connection, as it would in production.</summary>
public sealed class DatasetsOverSocketFixture : DatasetsFixture
{
    public DatasetsOverSocketFixture()
    {
        Factory.UseKestrel(port: 0);
        Factory.StartServer();
    }
}

/// <summary>
/// An upload that dies mid-body leaves no dataset and no chunks; a process killed mid-upload
/// leaves chunks without a dataset, which <see cref="IDatasetStore.PurgeAbandonedUploadsAsync"/> removes.
/// </summary>
public sealed class DatasetAbortTests(DatasetsOverSocketFixture service) : IClassFixture<DatasetsOverSocketFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task A_body_that_breaks_after_many_rows_leaves_no_dataset_and_no_chunks()
    {
        using var content = new BreakingCsv(rows: 200_000, then: async () =>
        {
            await ServerStoredAChunkAsync();
            throw new IOException("the client died");
        });

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => _client.PostAsync(new Uri("/api/datasets", UriKind.Relative), content));
        Assert.True(error.InnerException is IOException { Message: "the client died" }, error.ToString()); // our break, not a timeout

        Assert.True(content.Written >= 200_000);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_request_canceled_mid_body_leaves_no_dataset_and_no_chunks()
    {
        using var cancel = new CancellationTokenSource();
        using var content = new BreakingCsv(rows: 200_000, then: async () =>
        {
            await ServerStoredAChunkAsync();
            cancel.Cancel();
            await Task.Delay(Timeout.Infinite, cancel.Token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.PostAsync(new Uri("/api/datasets", UriKind.Relative), content, cancel.Token));

        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Chunks_of_an_upload_that_never_committed_are_purged_once_old_enough()
    {
        IDatasetStore store = service.Factory.Services.GetRequiredService<IDatasetStore>();
        string killed = Guid.NewGuid().ToString("N");
        byte[] row = new byte[3 * sizeof(float)];
        await store.WriteChunkAsync(killed, 0, 0, 1, row, CancellationToken.None);
        await store.WriteChunkAsync(killed, 1, 1, 1, row, CancellationToken.None);
        StoredDataset kept = await _client.UploadDatasetAsync(DatasetsApi.Generate(3, seed: 42));

        Assert.Equal(0, await store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1), CancellationToken.None)); // too fresh
        Assert.Equal(2, await service.ChunkCountAsync());
        Assert.Equal(2, await store.PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(0, await service.ChunkCountAsync());
        Assert.Null(await store.GetAsync(killed, CancellationToken.None));
        SamplesPage rows = ApiJson.Read<SamplesPage>(await _client.GetStringAsync(new Uri($"/api/datasets/{kept.Id}/rows?count=3", UriKind.Relative)));
        Assert.Equal(3, rows.Labels.Count); // a committed dataset's chunks stay
    }

    /// <summary>Holds the body open until the server has stored part of it, so the abort has chunks to discard.</summary>
    private async Task ServerStoredAChunkAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await service.ChunkCountAsync() == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the server stored no chunk of the upload within 20 s of its rows being sent");
            await Task.Delay(20);
        }
    }

    private async Task AssertNothingStoredAsync()
    {
        // The server side notices the broken body a moment after the client: give it that moment.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await service.ChunkCountAsync() > 0 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, await service.ChunkCountAsync());
        DatasetList list = ApiJson.Read<DatasetList>(await _client.GetStringAsync(new Uri("/api/datasets?limit=100", UriKind.Relative)));
        Assert.DoesNotContain(list.Items, d => d.Rows >= 200_000);
        Assert.Equal(0, await service.Factory.Services.GetRequiredService<IDatasetStore>()
            .PurgeAbandonedUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    /// <summary>A streamed CSV body (no length) that writes <c>rows</c> rows, flushes them, then runs <c>then</c>, which waits for the server and breaks or stalls it.</summary>
    private sealed class BreakingCsv : HttpContent
    {
        private readonly int _rows;
        private readonly Func<Task> _then;

        public BreakingCsv(int rows, Func<Task> then)
        {
            _rows = rows;
            _then = then;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(DatasetUploads.CsvMediaType);
        }

        public int Written { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            byte[] header = Encoding.ASCII.GetBytes("x1,x2,y\n");
            await stream.WriteAsync(header);
            var block = new StringBuilder();
            for (int r = 0; r < _rows; r++)
            {
                block.Append(System.Globalization.CultureInfo.InvariantCulture, $"{r},{r * 0.5},{r * 2}\n");
                if (block.Length > 60_000 || r == _rows - 1)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(block.ToString()));
                    await stream.FlushAsync();
                    block.Clear();
                }
                Written = r + 1;
            }
            await _then();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
