using LinRegService.Queue;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>Mapped as Minimal-API endpoints (not MapHealthChecks) so the OpenAPI document lists them.</summary>
    public static IEndpointRouteBuilder MapServiceHealthChecks(this IEndpointRouteBuilder app)
    {
        // Open without a key: probes (a container's HEALTHCHECK, a load balancer) have none.
        RouteGroupBuilder health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("live", () => TypedResults.Text("Healthy"))
            .WithName("Live")
            .WithSummary("Liveness")
            .WithDescription("200 \"Healthy\" while the process answers.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        health.MapGet("ready", ReadyAsync)
            .WithName("Ready")
            .WithSummary("Readiness")
            .WithDescription("200 \"Healthy\" when the job store answers and the workers run; 503 otherwise.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return app;
    }

    private static async Task<ContentHttpResult> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains(Ready), cancellationToken);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Text("Healthy")
            : TypedResults.Text(report.Status.ToString(), statusCode: StatusCodes.Status503ServiceUnavailable);
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
