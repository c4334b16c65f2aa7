using System.Text.Json;
using LinRegService.Contracts;

namespace LinRegService.Tests.Support;

/// <summary>Compares requests by their JSON (records holding arrays compare arrays by reference).</summary>
public sealed class RequestComparer : IEqualityComparer<JobRequest>
{
    public static readonly RequestComparer Instance = new();

    public bool Equals(JobRequest? x, JobRequest? y) =>
        JsonSerializer.Serialize(x, ApiJson.Options) == JsonSerializer.Serialize(y, ApiJson.Options);

    public int GetHashCode(JobRequest obj) => JsonSerializer.Serialize(obj, ApiJson.Options).GetHashCode(StringComparison.Ordinal);
}
