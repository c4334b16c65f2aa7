using LinRegService.Queue;
using LinRegService.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinRegService.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the store answers and the
/// workers are running, so a submitted job will be picked up.
/// </summary>
internal static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddServiceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<WorkersHealthCheck>("workers", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapServiceHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").WithSummary("Liveness: the process answers");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) })
            .WithTags("Health").WithSummary("Readiness: the store answers and the workers run");
        return app;
    }
}

internal sealed class StoreHealthCheck(IJobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The job store did not answer.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The job store did not answer.", error);
        }
    }
}

internal sealed class WorkersHealthCheck(JobWorkers workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(workers.ActiveWorkers > 0
            ? HealthCheckResult.Healthy($"{workers.ActiveWorkers} workers running.")
            : HealthCheckResult.Unhealthy("No job worker is running."));
}
