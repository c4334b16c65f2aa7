using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LinRegService.Tests.Identity;

/// <summary>
/// <c>/api/keys</c>: a new key's secret is shown once and stored only as a hash, reads never show
/// it, bad input names the field, revocation is at once on the replica that answers, last use is
/// recorded, and the key of <c>Auth:AdminKey</c> is the setting's to retire.
/// </summary>
public sealed class KeyEndpointTests(KeyedServiceFixture service) : IClassFixture<KeyedServiceFixture>
{
    [Fact]
    public async Task A_new_key_shows_its_secret_once_and_the_store_keeps_only_its_hash()
    {
        using HttpClient admin = service.Admin();

        using HttpResponseMessage response = await admin.PostAsJsonAsync("/api/keys", new { name = "reporting", role = "user" });
        JsonObject created = await response.ReadJsonAsync(HttpStatusCode.Created);
        string id = (string)created["id"]!;
        string secret = (string)created["key"]!;
        using HttpResponseMessage read = await admin.GetAsync($"/api/keys/{id}");
        string readBody = await read.Content.ReadAsStringAsync();
        using HttpResponseMessage list = await admin.GetAsync("/api/keys");
        string listBody = await list.Content.ReadAsStringAsync();

        Assert.Equal($"/api/keys/{id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("lrs_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret[4..].Replace('-', '+').Replace('_', '/') + "=").Length >= 16, "at least 128 random bits");
        Assert.Equal(["id", "name", "role", "key", "createdAt", "quotas"], created.Select(p => p.Key));
        Assert.Equal("user", (string?)created["role"]);
        Assert.Equal(10, (int?)created["quotas"]!["maxActiveJobs"]);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(secret, readBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", readBody, StringComparison.Ordinal);
        Assert.Contains(id, listBody, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listBody, StringComparison.Ordinal);
        string stored = await StoredHashAsync(id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored);
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(service.Directory.DatabaseFile)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "role": "user" }""", "name")]
    [InlineData("""{ "name": "  ", "role": "user" }""", "name")]
    [InlineData("""{ "name": "x" }""", "role")]
    [InlineData("""{ "name": "x", "role": "user", "quotas": { "maxJobWork": -1 } }""", "quotas.maxJobWork")]
    public async Task A_bad_key_request_names_the_field_and_makes_nothing(string body, string field)
    {
        using HttpClient admin = service.Admin();
        int before = (await KeysAsync(admin)).Count;

        using HttpResponseMessage response = await admin.PostAsync("/api/keys", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertBadFieldsAsync(response, field);
        Assert.Equal(before, (await KeysAsync(admin)).Count);
    }

    [Fact]
    public async Task Quotas_left_out_are_the_settings_defaults_and_those_given_are_the_keys_own()
    {
        using HttpClient admin = service.Admin();

        CreatedApiKey key = await admin.CreateKeyAsync("big", ApiKeyRole.User, new ApiKeyQuotaOverrides { MaxActiveJobs = 50, MaxStoredBytes = 5 });
        using HttpResponseMessage read = await admin.GetAsync($"/api/keys/{key.Id}");

        var expected = new ApiKeyQuotas(50, 268_435_456, 1L << 40, 5);
        Assert.Equal(expected, key.Quotas);
        Assert.Equal(expected, (await read.ReadAsAsync<ApiKey>(HttpStatusCode.OK)).Quotas);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_on_the_replica_that_revoked_it_and_keeps_its_record()
    {
        using HttpClient admin = service.Admin();
        (CreatedApiKey key, HttpClient client) = await service.UserAsync("short-lived");
        using HttpResponseMessage before = await client.GetAsync("/api/jobs");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await admin.RevokeKeyAsync(key.Id);
        using HttpResponseMessage after = await client.GetAsync("/api/jobs");
        using HttpResponseMessage again = await admin.DeleteAsync($"/api/keys/{key.Id}");
        using HttpResponseMessage read = await admin.GetAsync($"/api/keys/{key.Id}");

        await KeysApi.AssertUnauthorizedAsync(after);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode); // revoking twice is no error
        Assert.NotNull((await read.ReadAsAsync<ApiKey>(HttpStatusCode.OK)).RevokedAt);
        client.Dispose();
    }

    [Fact]
    public async Task A_keys_use_is_recorded_and_the_admin_key_of_the_settings_cannot_be_revoked_here()
    {
        using HttpClient admin = service.Admin();
        (CreatedApiKey key, HttpClient client) = await service.UserAsync("used");
        Assert.Null((await ReadKeyAsync(admin, key.Id)).LastUsedAt);

        using (HttpResponseMessage used = await client.GetAsync("/api/jobs"))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }
        ApiKey configured = Assert.Single(await KeysAsync(admin), k => k.Origin == "config");
        using HttpResponseMessage revoke = await admin.DeleteAsync($"/api/keys/{configured.Id}");

        Assert.NotNull((await ReadKeyAsync(admin, key.Id)).LastUsedAt);
        await Problem.AssertAsync(revoke, HttpStatusCode.Conflict);
        Assert.Equal(ApiKeyRole.Admin, configured.Role);
        client.Dispose();
    }

    [Fact]
    public async Task Unknown_keys_are_404_problems()
    {
        using HttpClient admin = service.Admin();

        using HttpResponseMessage read = await admin.GetAsync("/api/keys/nosuchkey");
        using HttpResponseMessage revoke = await admin.DeleteAsync("/api/keys/nosuchkey");

        Assert.Equal("No API key has the id 'nosuchkey'.", (string?)(await Problem.AssertAsync(read, HttpStatusCode.NotFound))["detail"]);
        await Problem.AssertAsync(revoke, HttpStatusCode.NotFound);
    }

    private static async Task<IReadOnlyList<ApiKey>> KeysAsync(HttpClient admin)
    {
        using HttpResponseMessage response = await admin.GetAsync("/api/keys");
        return (await response.ReadAsAsync<ApiKeyList>(HttpStatusCode.OK)).Items;
    }

    private static async Task<ApiKey> ReadKeyAsync(HttpClient admin, string id)
    {
        using HttpResponseMessage response = await admin.GetAsync($"/api/keys/{id}");
        return await response.ReadAsAsync<ApiKey>(HttpStatusCode.OK);
    }

    private async Task<string> StoredHashAsync(string id)
    {
        await using var connection = new SqliteConnection(service.Directory.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM api_keys WHERE id = @id;";
        command.Parameters.AddWithValue("@id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
