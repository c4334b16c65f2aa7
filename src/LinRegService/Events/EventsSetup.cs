using LinRegService.Storage;

namespace LinRegService.Events;

/// <summary>Registers the change feed (the stores tell it of changes) and the event streams' settings.</summary>
internal static class EventsSetup
{
    public static IServiceCollection AddJobEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>()
            .Bind(configuration.GetSection(EventsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<JobChangeFeed>();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<IJobChangeSink>(sp => sp.GetRequiredService<JobChangeFeed>());
        return services;
    }
}
