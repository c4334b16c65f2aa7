using System.Diagnostics;
using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Identity;

/// <summary>
/// A key revoked on one instance stops working on another that had just let it in (and trusts it
/// for a moment) within 5 seconds: two hosts on one SQLite file, and on one PostgreSQL database.
/// </summary>
public sealed class RevocationAcrossReplicasTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private static readonly TimeSpan _allowed = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _directory = new();

    [Fact]
    public Task A_key_revoked_on_one_host_is_refused_by_another_on_the_same_sqlite_file_within_5_s() =>
        RevokeOnOneRefusedByOtherAsync(_directory.ConnectionString, []);

    [PostgresFact]
    public Task A_key_revoked_on_one_replica_is_refused_by_another_on_the_same_postgres_database_within_5_s() =>
        RevokeOnOneRefusedByOtherAsync(postgres.ConnectionString, new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" });

    public void Dispose() => _directory.Dispose();

    private static async Task RevokeOnOneRefusedByOtherAsync(string connectionString, Dictionary<string, string?> settings)
    {
        using var one = new ServiceFactory(connectionString, KeysApi.Settings(settings));
        using var other = new ServiceFactory(connectionString, KeysApi.Settings(settings));
        using HttpClient admin = one.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey key = await admin.CreateKeyAsync("revoked elsewhere");
        using HttpClient onOther = other.CreateClient(key.Key);
        using (HttpResponseMessage before = await onOther.GetAsync("/api/jobs"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // the other host now trusts the key for a moment
        }

        await admin.RevokeKeyAsync(key.Id);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using HttpResponseMessage response = await onOther.GetAsync("/api/jobs");
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                await KeysApi.AssertUnauthorizedAsync(response);
                break;
            }
            Assert.Equal(HttpStatusCode.OK, status);
            await Task.Delay(50);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < _allowed, $"refused only after {clock.Elapsed}");
    }
}
