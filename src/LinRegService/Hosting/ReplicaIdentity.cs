namespace LinRegService.Hosting;

/// <summary>
/// This host's name among the replicas: on the leases its workers hold and as the telemetry's
/// <c>service.instance.id</c>. Unique per start, so a restarted replica does not inherit its old claims.
/// </summary>
public sealed class ReplicaIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}
