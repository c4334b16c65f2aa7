using LinRegService.Tests.Support;

namespace LinRegService.Tests.Contract;

/// <summary>
/// The service, its live OpenAPI document, and the C# client NSwag generates from it with default
/// settings (Newtonsoft.Json), compiled and loaded once for the test class.
/// </summary>
public sealed class GeneratedClientFixture : ServiceFixture, IAsyncLifetime
{
    private const string Namespace = "Generated";

    public GeneratedClient Generated { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using HttpClient http = CreateClient();
        string document = await http.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
        string source = await NSwagCli.GenerateCSharpClientAsync(document, Directory.Path, Namespace);
        Generated = new GeneratedClient(InMemoryCompiler.Compile(source, "LinRegService.NSwagClient"), Namespace, source);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
