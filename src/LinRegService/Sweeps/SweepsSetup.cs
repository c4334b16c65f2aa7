namespace LinRegService.Sweeps;

/// <summary>Registers the sweep settings (validated at start) and the services behind the sweep endpoints.</summary>
internal static class SweepsSetup
{
    public static IServiceCollection AddSweeps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SweepsOptions>().Bind(configuration.GetSection(SweepsOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SweepsOptions>, SweepsOptionsValidator>();
        services.AddScoped<VisibleSweeps>();
        services.AddScoped<SweepSubmissions>();
        return services;
    }

    public static IEndpointRouteBuilder MapSweeps(this IEndpointRouteBuilder app)
    {
        app.MapSweepEndpoints();
        app.MapSweepEvents();
        app.MapSweepPlots();
        return app;
    }
}
