using System.Net;
using System.Text.Json.Nodes;

namespace LinRegService.Tests.Support;

/// <summary>Assertions on RFC 9457 problem responses.</summary>
public static class Problem
{
    /// <summary>Insists on <paramref name="status"/>, <c>application/problem+json</c> and a matching <c>status</c> member; returns the body.</summary>
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonObject problem = ApiJson.Parse(body);
        Assert.Equal((int)status, (int?)problem["status"]);
        return problem;
    }

    /// <summary>A 400 whose <c>errors</c> map names every one of <paramref name="fields"/>.</summary>
    public static async Task<JsonObject> AssertBadFieldsAsync(HttpResponseMessage response, params string[] fields)
    {
        JsonObject problem = await AssertAsync(response, HttpStatusCode.BadRequest);
        JsonObject errors = problem["errors"] as JsonObject
            ?? throw new Xunit.Sdk.XunitException($"no errors map in {problem.ToJsonString()}");
        foreach (string field in fields)
        {
            Assert.True(errors.ContainsKey(field), $"errors does not name '{field}': {problem.ToJsonString()}");
            Assert.NotEmpty(errors[field]!.AsArray());
        }
        return problem;
    }
}
