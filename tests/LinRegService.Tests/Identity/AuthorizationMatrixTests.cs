using LinRegService.Tests.Support;

namespace LinRegService.Tests.Identity;

/// <summary>The authorization matrix (<see cref="AuthorizationMatrix"/>) on both engines: keys and owners live in the job store.</summary>
public sealed class AuthorizationMatrixTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Every_api_endpoint_answers_each_kind_of_caller_as_it_should_on_sqlite()
    {
        using var service = new ServiceFactory(_directory.ConnectionString, KeysApi.Settings());

        await AuthorizationMatrix.RunAsync(service);
    }

    [PostgresFact]
    public async Task Every_api_endpoint_answers_each_kind_of_caller_as_it_should_on_postgres()
    {
        using var service = new ServiceFactory(postgres.ConnectionString, KeysApi.Settings(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" }));

        await AuthorizationMatrix.RunAsync(service);
    }

    public void Dispose() => _directory.Dispose();
}
