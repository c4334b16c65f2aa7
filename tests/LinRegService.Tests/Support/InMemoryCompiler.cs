using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace LinRegService.Tests.Support;

/// <summary>Compiles C# source with Roslyn against this process's own assemblies and loads it.</summary>
public static class InMemoryCompiler
{
    /// <summary>The assembly built from <paramref name="source"/>; throws with every compiler error if it does not build.</summary>
    public static Assembly Compile(string source, string assemblyName)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        // The trusted platform assemblies are the framework and this test's dependencies, Newtonsoft.Json among them.
        string[] assemblies = [.. ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .Distinct(StringComparer.Ordinal)];
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [tree],
            assemblies.Select(path => MetadataReference.CreateFromFile(path)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        if (!result.Success)
        {
            IEnumerable<string> errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
            throw new InvalidOperationException($"The generated code does not compile:\n{string.Join("\n", errors)}");
        }
        return Assembly.Load(image.ToArray());
    }
}
