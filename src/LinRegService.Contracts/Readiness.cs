namespace LinRegService.Contracts;

/// <summary>The body of <c>GET /health/ready</c>: the overall status, each check's, and the queue.</summary>
/// <param name="Status"><c>Healthy</c>; <c>Degraded</c> when the queue is full (still ready: 200, the jobs already queued run); <c>Unhealthy</c> (503) when the job store does not answer or no worker runs.</param>
/// <param name="Checks">Each check by name (<c>store</c>, <c>workers</c>, <c>queue</c>): its status and what it found.</param>
/// <param name="Queue">The queue's depth and saturation; null when the store could not be asked.</param>
public sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, HealthCheckReport> Checks, QueueReport? Queue);

/// <summary>One readiness check.</summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="Description">What the check found, in words.</param>
public sealed record HealthCheckReport(string Status, string? Description);

/// <summary>How full the queue is.</summary>
/// <param name="Queued">Jobs waiting in the store (every replica's).</param>
/// <param name="Running">Jobs this replica is running.</param>
/// <param name="Workers">This replica's workers: jobs it runs at once.</param>
/// <param name="MaxQueued">Queued jobs beyond which a submission gets 503 (<c>Jobs:MaxQueued</c>).</param>
/// <param name="Saturation"><c>queued / maxQueued</c>: 1 when the queue is full.</param>
public sealed record QueueReport(int Queued, int Running, int Workers, int MaxQueued, double Saturation);
