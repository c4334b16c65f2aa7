using System.Diagnostics;
using System.Reflection;

namespace LinRegService.Tests.Support;

/// <summary>
/// NSwag's own command line (from the NSwag.MSBuild package, whose folder the build passes in as
/// assembly metadata), generating a C# client from an OpenAPI document with its default settings.
/// </summary>
public static class NSwagCli
{
    private static readonly TimeSpan _longestRun = TimeSpan.FromMinutes(2);

    public static string ToolsDirectory =>
        typeof(NSwagCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "NSwagToolsDirectory")?.Value
        ?? throw new InvalidOperationException("The test assembly has no NSwagToolsDirectory metadata; is NSwag.MSBuild referenced?");

    /// <summary>Runs <c>openapi2csclient</c> on <paramref name="document"/> and returns the generated C# source.</summary>
    public static async Task<string> GenerateCSharpClientAsync(string document, string workDirectory, string @namespace)
    {
        string input = Path.Combine(workDirectory, "openapi.json");
        string output = Path.Combine(workDirectory, "Client.cs");
        await File.WriteAllTextAsync(input, document);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDirectory,
        };
        foreach (string argument in new[]
        {
            Path.Combine(ToolsDirectory, "dotnet-nswag.dll"), "openapi2csclient", $"/input:{input}", $"/output:{output}", $"/namespace:{@namespace}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(_longestRun);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"NSwag did not finish within {_longestRun.TotalSeconds} s");
        }
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"NSwag exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        return await File.ReadAllTextAsync(output);
    }
}
