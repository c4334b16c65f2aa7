using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Keys;

/// <summary>Registers the keys' services: checking secrets, making and revoking keys, the default limits and the first-start admin key.</summary>
internal static class KeysSetup
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuotasOptions>().Bind(configuration.GetSection(QuotasOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QuotasOptions>, QuotasOptionsValidator>();
        // The keys live in the job store's database, over its dialect (SQLite's one writer turn, PostgreSQL's one pool).
        services.AddSingleton<IKeyStore>(sp => new SqlKeyStore(sp.GetRequiredService<StoreDatabase>().Dialect));
        services.AddMemoryCache();
        services.AddSingleton<AuthenticatedKeys>();
        services.AddScoped<KeyAdministration>();
        services.AddSingleton<BootstrapConsole>();
        // After the store's migrations (registered before this), which create the keys' table.
        services.AddHostedService<KeyBootstrap>();
        return services;
    }
}
