using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Identity;

/// <summary>Who calls, in the authorization matrix.</summary>
public enum Who
{
    NoKey,
    WrongKey,
    RevokedKey,
    AnotherUser,
    Owner,
    Admin,
}

/// <summary>
/// Every <c>/api</c> endpoint × every kind of caller, on a host that requires keys: a call without
/// a usable key is a 401 with <c>WWW-Authenticate: Bearer</c>; another user's job is a 404 with the
/// very body of a job that does not exist; a user key on key management is a 403; the owner and an
/// admin get the endpoint's answer. Every mismatch is collected, then reported at once.
/// </summary>
public sealed class AuthorizationMatrix
{
    private const string MissingId = "0123456789abcdef0123456789abcdef";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly List<string> _failures = [];
    private readonly Dictionary<Who, HttpClient> _clients = [];
    private readonly Dictionary<Who, string?> _keyIds = [];
    private HttpClient _admin = null!;
    private string _job = null!;
    private string _sweep = null!;
    private string _dataset = null!;
    private int _datasets;

    private AuthorizationMatrix(WebApplicationFactory<Program> factory) => _factory = factory;

    /// <summary>What kind of resource an endpoint acts on, which decides what each caller gets.</summary>
    private enum Target
    {
        /// <summary>A job of the owner: another user finds nothing.</summary>
        OwnersJob,

        /// <summary>Key management: admins only.</summary>
        AdminOnly,

        /// <summary>Any caller with a key: its own view (submit, list, its own key).</summary>
        AnyKey,
    }

    /// <summary>One endpoint as the app maps it, how to call it (a fresh resource where the call consumes one) and what success is.</summary>
    private sealed record Endpoint(string Method, string Route, Target Target, HttpStatusCode Success, Func<Task<string>> Path, string? Body = null,
        string ContentType = "application/json");

    /// <summary>Runs the matrix on <paramref name="factory"/> (a host from <see cref="KeysApi.Settings"/>); fails listing every mismatch.</summary>
    public static async Task RunAsync(WebApplicationFactory<Program> factory)
    {
        var matrix = new AuthorizationMatrix(factory);
        await matrix.ArrangeAsync();
        IReadOnlyList<Endpoint> endpoints = matrix.Endpoints();
        matrix.CheckEveryApiRouteIsCovered(endpoints);
        foreach (Endpoint endpoint in endpoints)
        {
            foreach (Who who in Enum.GetValues<Who>())
            {
                await matrix.CheckAsync(endpoint, who);
            }
        }
        foreach (HttpClient client in matrix._clients.Values)
        {
            client.Dispose();
        }
        Assert.True(matrix._failures.Count == 0, $"{matrix._failures.Count} mismatches:\n" + string.Join("\n", matrix._failures));
    }

    /// <summary>Keys of every kind, and a succeeded job of the owner's.</summary>
    private async Task ArrangeAsync()
    {
        _admin = _factory.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey owner = await _admin.CreateKeyAsync("owner");
        CreatedApiKey another = await _admin.CreateKeyAsync("another user");
        CreatedApiKey revoked = await _admin.CreateKeyAsync("revoked");
        await _admin.RevokeKeyAsync(revoked.Id);
        _clients[Who.NoKey] = _factory.CreateClient(secret: null);
        _clients[Who.WrongKey] = _factory.CreateClient("lrs_" + new string('A', 43));
        _clients[Who.RevokedKey] = _factory.CreateClient(revoked.Key);
        _clients[Who.AnotherUser] = _factory.CreateClient(another.Key);
        _clients[Who.Owner] = _factory.CreateClient(owner.Key);
        _clients[Who.Admin] = _admin;
        _keyIds[Who.AnotherUser] = another.Id;
        _keyIds[Who.Owner] = owner.Id;
        _keyIds[Who.Admin] = (await MeAsync(_admin))["key"]!["id"]!.GetValue<string>();
        _job = await FinishedJobOfOwnerAsync();
        _sweep = await FinishedSweepOfOwnerAsync();
        _dataset = await DatasetOfOwnerAsync();
    }

    private IReadOnlyList<Endpoint> Endpoints()
    {
        Task<string> Job(string suffix = "") => Task.FromResult($"/api/jobs/{_job}{suffix}");
        Task<string> Sweep(string suffix = "") => Task.FromResult($"/api/sweeps/{_sweep}{suffix}");
        Task<string> Dataset(string suffix = "") => Task.FromResult($"/api/datasets/{_dataset}{suffix}");
        const string grid = """{ "grid": { "training.learningRate": [0.03] } }""";
        const string features = """{ "features": [[1, 1]] }""";
        return
        [
            new("POST", "/api/jobs", Target.AnyKey, HttpStatusCode.Accepted, () => Task.FromResult("/api/jobs"), "{}"),
            new("GET", "/api/jobs", Target.AnyKey, HttpStatusCode.OK, () => Task.FromResult("/api/jobs?limit=100")),
            new("GET", "/api/jobs/{id}", Target.OwnersJob, HttpStatusCode.OK, () => Job()),
            new("GET", "/api/jobs/{id}/samples", Target.OwnersJob, HttpStatusCode.OK, () => Job("/samples?count=3")),
            new("GET", "/api/jobs/{id}/events", Target.OwnersJob, HttpStatusCode.OK, () => Job("/events")),
            new("GET", "/api/jobs/{id}/plots/loss.svg", Target.OwnersJob, HttpStatusCode.OK, () => Job("/plots/loss.svg")),
            new("GET", "/api/jobs/{id}/plots/loss.png", Target.OwnersJob, HttpStatusCode.OK, () => Job("/plots/loss.png")),
            new("GET", "/api/jobs/{id}/plots/data.svg", Target.OwnersJob, HttpStatusCode.OK, () => Job("/plots/data.svg")),
            new("GET", "/api/jobs/{id}/plots/data.png", Target.OwnersJob, HttpStatusCode.OK, () => Job("/plots/data.png")),
            new("POST", "/api/jobs/{id}/predict", Target.OwnersJob, HttpStatusCode.OK, () => Job("/predict"), features),
            // A finished job cannot be canceled: the owner's and the admin's 409 show they found it.
            new("POST", "/api/jobs/{id}/cancel", Target.OwnersJob, HttpStatusCode.Conflict, () => Job("/cancel")),
            new("DELETE", "/api/jobs/{id}", Target.OwnersJob, HttpStatusCode.NoContent, async () => $"/api/jobs/{await FinishedJobOfOwnerAsync()}"),
            new("POST", "/api/sweeps", Target.AnyKey, HttpStatusCode.Accepted, () => Task.FromResult("/api/sweeps"), grid),
            new("GET", "/api/sweeps", Target.AnyKey, HttpStatusCode.OK, () => Task.FromResult("/api/sweeps?limit=100")),
            new("GET", "/api/sweeps/{id}", Target.OwnersJob, HttpStatusCode.OK, () => Sweep()),
            new("GET", "/api/sweeps/{id}/events", Target.OwnersJob, HttpStatusCode.OK, () => Sweep("/events")),
            new("GET", "/api/sweeps/{id}/plots/losses.svg", Target.OwnersJob, HttpStatusCode.OK, () => Sweep("/plots/losses.svg")),
            new("GET", "/api/sweeps/{id}/plots/losses.png", Target.OwnersJob, HttpStatusCode.OK, () => Sweep("/plots/losses.png")),
            new("GET", "/api/sweeps/{id}/plots/final.svg", Target.OwnersJob, HttpStatusCode.OK, () => Sweep("/plots/final.svg")),
            new("GET", "/api/sweeps/{id}/plots/final.png", Target.OwnersJob, HttpStatusCode.OK, () => Sweep("/plots/final.png")),
            new("POST", "/api/sweeps/{id}/cancel", Target.OwnersJob, HttpStatusCode.Conflict, () => Sweep("/cancel")),
            new("DELETE", "/api/sweeps/{id}", Target.OwnersJob, HttpStatusCode.NoContent, async () => $"/api/sweeps/{await FinishedSweepOfOwnerAsync()}"),
            new("POST", "/api/datasets", Target.AnyKey, HttpStatusCode.Created, () => Task.FromResult("/api/datasets?name=matrix"), "p,q\n1,2\n3,4\n", "text/csv"),
            new("GET", "/api/datasets", Target.AnyKey, HttpStatusCode.OK, () => Task.FromResult("/api/datasets?limit=100")),
            new("GET", "/api/datasets/{id}", Target.OwnersJob, HttpStatusCode.OK, () => Dataset()),
            new("GET", "/api/datasets/{id}/rows", Target.OwnersJob, HttpStatusCode.OK, () => Dataset("/rows?count=2")),
            new("DELETE", "/api/datasets/{id}", Target.OwnersJob, HttpStatusCode.NoContent, async () => $"/api/datasets/{await DatasetOfOwnerAsync()}"),
            new("POST", "/api/keys", Target.AdminOnly, HttpStatusCode.Created, () => Task.FromResult("/api/keys"), """{ "name": "made in the matrix", "role": "user" }"""),
            new("GET", "/api/keys", Target.AdminOnly, HttpStatusCode.OK, () => Task.FromResult("/api/keys")),
            new("GET", "/api/keys/{id}", Target.AdminOnly, HttpStatusCode.OK, () => Task.FromResult($"/api/keys/{_keyIds[Who.Owner]}")),
            new("DELETE", "/api/keys/{id}", Target.AdminOnly, HttpStatusCode.NoContent, async () => $"/api/keys/{(await _admin.CreateKeyAsync("to revoke")).Id}"),
            new("GET", "/api/keys/me", Target.AnyKey, HttpStatusCode.OK, () => Task.FromResult("/api/keys/me")),
        ];
    }

    private async Task CheckAsync(Endpoint endpoint, Who who)
    {
        string path = await endpoint.Path();
        using HttpResponseMessage response = await SendAsync(who, endpoint.Method, path, endpoint.Body, endpoint.ContentType);
        string body = await response.Content.ReadAsStringAsync();
        HttpStatusCode expected = (who, endpoint.Target) switch
        {
            (Who.NoKey or Who.WrongKey or Who.RevokedKey, _) => HttpStatusCode.Unauthorized,
            (Who.AnotherUser, Target.OwnersJob) => HttpStatusCode.NotFound,
            (Who.AnotherUser or Who.Owner, Target.AdminOnly) => HttpStatusCode.Forbidden,
            _ => endpoint.Success,
        };
        string where = $"{who} {endpoint.Method} {endpoint.Route}";
        if (response.StatusCode != expected)
        {
            _failures.Add($"{where}: expected {(int)expected}, got {(int)response.StatusCode}: {Excerpt(body)}");
            return;
        }
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            _failures.Add($"{where}: {(int)expected} without a problem body ({response.Content.Headers.ContentType}): {Excerpt(body)}");
        }
        if (expected == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.SingleOrDefault()?.Scheme != "Bearer")
        {
            _failures.Add($"{where}: 401 without WWW-Authenticate: Bearer ({response.Headers.WwwAuthenticate})");
        }
        if (expected == HttpStatusCode.NotFound)
        {
            await CheckLooksMissingAsync(endpoint, who, path, body, where);
        }
        await CheckWhatIsSeenAsync(endpoint, who, body, where);
    }

    /// <summary>Another key's job answers exactly as a job that does not exist (its id in place of the other).</summary>
    private async Task CheckLooksMissingAsync(Endpoint endpoint, Who who, string path, string body, string where)
    {
        string target = path.Split('/')[3];
        using HttpResponseMessage missing = await SendAsync(who, endpoint.Method, path.Replace(target, MissingId, StringComparison.Ordinal), endpoint.Body, endpoint.ContentType);
        string expected = WithoutTraceId(await missing.Content.ReadAsStringAsync());
        string actual = WithoutTraceId(body.Replace(target, MissingId, StringComparison.Ordinal));
        if (missing.StatusCode != HttpStatusCode.NotFound || actual != expected)
        {
            _failures.Add($"{where}: another key's job answered {actual}, a missing one {(int)missing.StatusCode} {expected}");
        }
    }

    /// <summary>A list shows the owner's job to the owner and admins only; /me is the caller's own key; a submission is the caller's.</summary>
    private async Task CheckWhatIsSeenAsync(Endpoint endpoint, Who who, string body, string where)
    {
        if (endpoint.Target != Target.AnyKey || !_keyIds.TryGetValue(who, out string? keyId))
        {
            return;
        }
        JsonObject answer = ApiJson.Parse(body);
        switch (endpoint.Route)
        {
            case "/api/jobs" when endpoint.Method == "GET":
                bool listed = answer["items"]!.AsArray().Any(j => (string?)j!["id"] == _job);
                if (listed != (who is Who.Owner or Who.Admin))
                {
                    _failures.Add($"{where}: the owner's job {(listed ? "is" : "is not")} listed");
                }
                break;
            case "/api/jobs":
                using (HttpResponseMessage read = await SendAsync(who, "GET", $"/api/jobs/{(string)answer["id"]!}", null))
                {
                    if (read.StatusCode != HttpStatusCode.OK)
                    {
                        _failures.Add($"{where}: the submitter cannot read its own job ({(int)read.StatusCode})");
                    }
                }
                break;
            case "/api/sweeps" when endpoint.Method == "GET":
                bool sweepListed = answer["items"]!.AsArray().Any(j => (string?)j!["id"] == _sweep);
                if (sweepListed != (who is Who.Owner or Who.Admin))
                {
                    _failures.Add($"{where}: the owner's sweep {(sweepListed ? "is" : "is not")} listed");
                }
                break;
            case "/api/sweeps":
                using (HttpResponseMessage read = await SendAsync(who, "GET", $"/api/sweeps/{(string)answer["id"]!}", null))
                {
                    if (read.StatusCode != HttpStatusCode.OK)
                    {
                        _failures.Add($"{where}: the submitter cannot read its own sweep ({(int)read.StatusCode})");
                    }
                }
                break;
            case "/api/datasets" when endpoint.Method == "GET":
                bool datasetListed = answer["items"]!.AsArray().Any(d => (string?)d!["id"] == _dataset);
                if (datasetListed != (who is Who.Owner or Who.Admin))
                {
                    _failures.Add($"{where}: the owner's dataset {(datasetListed ? "is" : "is not")} listed");
                }
                break;
            case "/api/datasets":
                using (HttpResponseMessage read = await SendAsync(who, "GET", $"/api/datasets/{(string)answer["id"]!}", null))
                {
                    if (read.StatusCode != HttpStatusCode.OK)
                    {
                        _failures.Add($"{where}: the uploader cannot read its own dataset ({(int)read.StatusCode})");
                    }
                }
                break;
            case "/api/keys/me":
                if ((string?)answer["key"]?["id"] != keyId)
                {
                    _failures.Add($"{where}: /me named {answer["key"]?["id"]}, not the caller's key {keyId}");
                }
                break;
        }
    }

    /// <summary>A new endpoint under /api cannot slip past the matrix: every mapped route is one of its rows.</summary>
    private void CheckEveryApiRouteIsCovered(IReadOnlyList<Endpoint> endpoints)
    {
        IEnumerable<(string Method, string Route)> mapped =
            from endpoint in _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            let route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/')
            where route.StartsWith("/api", StringComparison.Ordinal)
            from method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []
            select (method, route);
        foreach ((string method, string route) in mapped.Except(endpoints.Select(e => (e.Method, e.Route))))
        {
            _failures.Add($"{method} {route}: mapped but not in the matrix");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Who who, string method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType),
        };
        HttpResponseMessage response = await _clients[who].SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<string> FinishedJobOfOwnerAsync()
    {
        HttpClient owner = _clients[Who.Owner];
        Job job = await owner.SubmitAsync("""{ "dataset": { "seed": 42 }, "training": { "seed": 7 } }""");
        Assert.Equal(JobStatus.Succeeded, (await owner.WaitForFinishAsync(job.Id)).Status);
        return job.Id;
    }

    private async Task<string> FinishedSweepOfOwnerAsync()
    {
        HttpClient owner = _clients[Who.Owner];
        Sweep sweep = await owner.SubmitSweepAsync("""{ "base": { "dataset": { "seed": 42 } }, "grid": { "training.learningRate": [0.03, 0.1] } }""");
        Assert.Equal(SweepStatus.Finished, (await owner.WaitForSweepAsync(sweep.Id)).Status);
        return sweep.Id;
    }

    /// <summary>A dataset of the owner's, each one of other rows.</summary>
    private async Task<string> DatasetOfOwnerAsync()
    {
        using var content = new StringContent($"a,b,y\n{++_datasets},2,3\n4,5,6\n", Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await _clients[Who.Owner].PostAsync("/api/datasets", content);
        return (string)(await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!;
    }

    private static async Task<JsonObject> MeAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/api/keys/me");
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }

    private static string WithoutTraceId(string json)
    {
        JsonObject problem = ApiJson.Parse(json);
        problem.Remove("traceId");
        return problem.ToJsonString();
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
