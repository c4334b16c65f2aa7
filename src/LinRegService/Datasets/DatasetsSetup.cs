using LinRegService.Storage;

namespace LinRegService.Datasets;

/// <summary>Registers the dataset settings (validated at start), the store in the job store's database over its dialect, and the endpoints' services.</summary>
internal static class DatasetsSetup
{
    public static IServiceCollection AddDatasets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatasetsOptions>().Bind(configuration.GetSection(DatasetsOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DatasetsOptions>, DatasetsOptionsValidator>();
        services.AddSingleton<IDatasetStore>(sp => new SqlDatasetStore(sp.GetRequiredService<StoreDatabase>().Dialect, sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<VisibleDatasets>();
        services.AddScoped<DatasetUploads>();
        return services;
    }
}
