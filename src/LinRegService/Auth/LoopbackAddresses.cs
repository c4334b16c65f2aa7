using System.Net;

namespace LinRegService.Auth;

/// <summary>Which listening addresses and which <c>Host</c> names are this machine's alone.</summary>
internal static class LoopbackAddresses
{
    /// <summary>
    /// Whether a listening address (<c>http://127.0.0.1:5080</c>, <c>http://localhost:5080</c>, <c>http://[::1]:80</c>)
    /// accepts connections from this machine only. Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and
    /// other names (which may resolve anywhere) do not; a Unix socket does.
    /// </summary>
    public static bool IsLoopbackUrl(string url)
    {
        string rest = url.Trim();
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        rest = scheme < 0 ? rest : rest[(scheme + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        int path = rest.IndexOf('/', StringComparison.Ordinal);
        return IsLoopbackHost(path < 0 ? rest : rest[..path]);
    }

    /// <summary>Whether a host with an optional port (<c>localhost:5080</c>, <c>127.0.0.1</c>, <c>[::1]:8080</c>) names this machine.</summary>
    public static bool IsLoopbackHost(string hostAndPort)
    {
        string host = hostAndPort;
        if (host.StartsWith('['))
        {
            int end = host.IndexOf(']', StringComparison.Ordinal);
            host = end < 0 ? host : host[1..end];
        }
        else if (host.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            host = host[..colon];
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}
