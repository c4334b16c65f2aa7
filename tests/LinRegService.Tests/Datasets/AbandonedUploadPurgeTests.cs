using System.Diagnostics;
using System.Reflection;
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

        await SweepsCompletedAsync(1); // the one at start
        service.Clock.Advance(TimeSpan.FromMinutes(31)); // a sweep, but the chunk is 31 minutes old
        await SweepsCompletedAsync(2);
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

    private async Task SweepsCompletedAsync(int count)
    {
        var waited = Stopwatch.StartNew();
        while (service.Purges.Completed < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"{service.Purges.Completed} retention sweeps have purged uploads, not {count}");
            await Task.Delay(20);
        }
    }

    public sealed class HalfHourSweeps : FakeClockFixture
    {
        /// <summary>Counts the sweeps' upload purges as they end, so the test knows when one has run.</summary>
        public CountedPurges Purges { get; private set; } = null!;

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            base.ConfigureTestServices(services);
            ServiceDescriptor original = services.Last(d => d.ServiceType == typeof(IDatasetStore));
            services.Remove(original);
            services.AddSingleton(sp =>
            {
                IDatasetStore proxy = DispatchProxy.Create<IDatasetStore, CountedPurges>();
                Purges = (CountedPurges)(object)proxy;
                Purges.Inner = (IDatasetStore)original.ImplementationFactory!(sp);
                return proxy;
            });
        }

        protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Jobs:RetentionSweepInterval"] = "00:30:00",
        };
    }

    /// <summary>The real dataset store, counting each <see cref="IDatasetStore.PurgeAbandonedUploadsAsync"/> once it has finished.</summary>
    public class CountedPurges : DispatchProxy
    {
        private int _completed;

        public IDatasetStore Inner { get; set; } = null!;

        public int Completed => Volatile.Read(ref _completed);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            object? result;
            try
            {
                result = targetMethod.Invoke(Inner, args);
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerException).Throw();
                throw;
            }
            return targetMethod.Name == nameof(IDatasetStore.PurgeAbandonedUploadsAsync) && result is Task<int> purge ? CountAsync(purge) : result;
        }

        private async Task<int> CountAsync(Task<int> purge)
        {
            int purged = await purge;
            Interlocked.Increment(ref _completed);
            return purged;
        }
    }
}
