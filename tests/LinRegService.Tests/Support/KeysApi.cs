using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LinRegService.Contracts;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinRegService.Tests.Support;

/// <summary>A host that requires keys (<c>Auth:Mode</c> ApiKeys), its admin secret, and the key endpoints as a client calls them.</summary>
public static class KeysApi
{
    /// <summary>The <c>Auth:AdminKey</c> of the hosts from <see cref="Settings"/>.</summary>
    public const string AdminSecret = "test-admin-key-0123456789abcdef";

    /// <summary>Settings of a host that requires keys, with <see cref="AdminSecret"/> as its admin key, plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Mode"] = "ApiKeys", ["Auth:AdminKey"] = AdminSecret };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>A client of <paramref name="factory"/> that sends <paramref name="secret"/> as its Bearer key (none when null).</summary>
    public static HttpClient CreateClient(this WebApplicationFactory<Program> factory, string? secret)
    {
        HttpClient client = factory.CreateClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        return client;
    }

    /// <summary>Makes a key through <paramref name="admin"/> (a client with an admin key) and insists on 201.</summary>
    public static async Task<CreatedApiKey> CreateKeyAsync(this HttpClient admin, string name, ApiKeyRole role = ApiKeyRole.User, ApiKeyQuotaOverrides? quotas = null)
    {
        using HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keys", new CreateApiKeyRequest { Name = name, Role = role, Quotas = quotas }, ApiJson.Options);
        return await response.ReadAsAsync<CreatedApiKey>(HttpStatusCode.Created);
    }

    /// <summary>Revokes a key through <paramref name="admin"/> and insists on 204.</summary>
    public static async Task RevokeKeyAsync(this HttpClient admin, string id)
    {
        using HttpResponseMessage response = await admin.DeleteAsync($"/api/keys/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"DELETE key {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A 401 as the contract has it: <c>WWW-Authenticate: Bearer</c> and a problem body.</summary>
    public static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }
}
