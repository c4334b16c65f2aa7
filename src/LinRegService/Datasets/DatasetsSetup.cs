using LinRegService.Storage;

namespace LinRegService.Datasets;

/// <summary>Registers the dataset store, in the job store's database over its dialect.</summary>
internal static class DatasetsSetup
{
    public static IServiceCollection AddDatasets(this IServiceCollection services)
    {
        services.AddSingleton<IDatasetStore>(sp => new SqlDatasetStore(sp.GetRequiredService<StoreDatabase>().Dialect, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
