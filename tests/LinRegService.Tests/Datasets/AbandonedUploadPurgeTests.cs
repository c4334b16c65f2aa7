using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Datasets;

/// <summary>The retention sweep purges the chunks of an upload that died, once an hour old by the service's clock (a fake one here).</summary>
public sealed class AbandonedUploadPurgeTests(AbandonedUploadPurgeTests.HalfHourSweeps service) : IClassFixture<AbandonedUploadPurgeTests.HalfHourSweeps>
{
    [Fact]
    public async Task Chunks_without_a_dataset_go_at_the_first_sweep_an_hour_after_they_were_written()
    {
        using HttpClient client = service.CreateClient();
        IDatasetStore store = service.Factory.Services.GetRequiredService<IDatasetStore>();
        StoredDataset kept = await client.UploadDatasetAsync(DatasetsApi.Generate(5, seed: 9));
        await store.WriteChunkAsync(Guid.NewGuid().ToString("N"), 0, 0, 1, new byte[3 * sizeof(float)], CancellationToken.None); // a killed upload's

        service.Clock.Advance(TimeSpan.FromMinutes(31)); // a sweep, but the chunk is 31 minutes old
        await Task.Delay(300);
        Assert.Equal(1, await DatasetsApi.OrphanChunksAsync(service.Factory.Services));

        service.Clock.Advance(TimeSpan.FromMinutes(31)); // the next finds it past the hour
        var waited = Stopwatch.StartNew();
        while (await DatasetsApi.OrphanChunksAsync(service.Factory.Services) > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, await DatasetsApi.OrphanChunksAsync(service.Factory.Services));
        SamplesPage rows = ApiJson.Read<SamplesPage>(await client.GetStringAsync(new Uri($"/api/datasets/{kept.Id}/rows?count=5", UriKind.Relative)));
        Assert.Equal(5, rows.Labels.Count);
    }

    public sealed class HalfHourSweeps : FakeClockFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:RetentionSweepInterval"] = "00:30:00",
        };
    }
}
