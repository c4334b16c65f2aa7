namespace LinRegService.Jobs;

/// <summary>Registers the job settings (validated at start) and the application services behind the job endpoints.</summary>
internal static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<VisibleJobs>();
        services.AddScoped<JobRequestResolver>();
        services.AddScoped<JobSubmissions>();
        services.AddScoped<CallerQuotas>();
        return services;
    }
}

/// <summary>Checks the <c>Jobs</c> settings, <c>Jobs:Limits</c> included, with code generated at build time from their attributes.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class JobsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<JobsOptions>;
