using LinRegService.Contracts;
using LinRegService.Queue;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinRegService.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the store answers and the
/// workers are running, so a submitted job will be picked up; its JSON body also tells how full
/// the queue is (a full queue is still ready).
/// </summary>
internal static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddServiceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<WorkersHealthCheck>("workers", tags: [Ready])
            .AddCheck<QueueHealthCheck>(ReadinessReports.QueueCheck, tags: [Ready]);
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
            .WithDescription("200 when the job store answers and the workers run, 503 otherwise. The body has each check's status "
                + "and the queue: `queued` (every replica's), `running` and `workers` (this replica's), `maxQueued` and "
                + "`saturation` = queued / maxQueued. A full queue is `Degraded` and still 200: the service is busy, not broken.")
            .Produces<ReadinessReport>(StatusCodes.Status200OK, "application/json")
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable, "application/json");
        return app;
    }

    private static async Task<JsonHttpResult<ReadinessReport>> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains(Ready), cancellationToken);
        return TypedResults.Json(ReadinessReports.From(report),
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}

internal sealed class StoreHealthCheck(IJobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy("The job store answers.") : HealthCheckResult.Unhealthy("The job store did not answer.");
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
