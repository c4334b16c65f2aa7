using System.Net;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Identity;

/// <summary>Jobs made without a key (before keys, or with Auth:Mode None) belong to no key: admins see them, user keys do not.</summary>
public sealed class JobsOfNoKeyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_job_made_without_keys_is_seen_by_admins_only_once_keys_are_required()
    {
        string id;
        using (var withoutKeys = new ServiceFactory(_directory.ConnectionString))
        {
            using HttpClient local = withoutKeys.CreateClient();
            id = (await local.SubmitAsync()).Id;
            await local.WaitForFinishAsync(id);
        }

        using var withKeys = new ServiceFactory(_directory.ConnectionString, KeysApi.Settings());
        using HttpClient admin = withKeys.CreateClient(KeysApi.AdminSecret);
        CreatedApiKey user = await admin.CreateKeyAsync("user");
        using HttpClient userClient = withKeys.CreateClient(user.Key);

        Assert.Equal(JobStatus.Succeeded, (await admin.GetJobAsync(id)).Status);
        using HttpResponseMessage hidden = await userClient.GetAsync($"/api/jobs/{id}");
        await Problem.AssertAsync(hidden, HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, (await userClient.ListAsync()).Items.Select(j => j.Id));
        Assert.Contains(id, (await admin.ListAsync()).Items.Select(j => j.Id));
    }

    public void Dispose() => _directory.Dispose();
}
