using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Browser.Tests.Support;

/// <summary>A <see cref="BrowserSession"/> whose service requires keys (<c>Auth:Mode</c> ApiKeys), with an admin key of the settings.</summary>
public sealed class KeyedBrowserSession : BrowserSession
{
    public const string AdminKey = "browser-test-admin-key-0123456789";

    protected override IReadOnlyDictionary<string, string?>? Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:Mode"] = "ApiKeys",
        ["Auth:AdminKey"] = AdminKey,
    };

    /// <summary>A client of the service that sends <paramref name="key"/>.</summary>
    public HttpClient CreateClient(string key)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A new user key (its secret), made with the admin key.</summary>
    public async Task<CreatedApiKey> NewUserKeyAsync(string name)
    {
        using HttpClient admin = CreateClient(AdminKey);
        using HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keys", new { name, role = "user" });
        return await response.ReadAsAsync<CreatedApiKey>(HttpStatusCode.Created);
    }
}
