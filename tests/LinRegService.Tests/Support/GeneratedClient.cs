using System.Reflection;

namespace LinRegService.Tests.Support;

/// <summary>
/// A client NSwag generated from the live document, compiled and loaded. Its types exist only at
/// run time, so tests reach them through <c>dynamic</c> and reflection, as a caller of the
/// generated code would through its static types.
/// </summary>
public sealed class GeneratedClient(Assembly assembly, string @namespace, string source)
{
    public Assembly Assembly { get; } = assembly;

    /// <summary>The generated C# (for messages when something in it is off).</summary>
    public string Source { get; } = source;

    public Type Type(string name) =>
        Assembly.GetType($"{@namespace}.{name}") ?? throw new InvalidOperationException($"NSwag generated no type {name}");

    /// <summary>The generated <c>Client</c> over <paramref name="http"/>, at the base URL the document's <c>servers</c> gave it.</summary>
    public dynamic CreateClient(HttpClient http) => Activator.CreateInstance(Type("Client"), http)!;

    public dynamic New(string type) => Activator.CreateInstance(Type(type))!;

    public object EnumValue(string type, string member) => Enum.Parse(Type(type), member);

    /// <summary>The typed error a call throws: NSwag's <c>ApiException&lt;T&gt;</c>, its status and its deserialized body.</summary>
    public static async Task<TypedApiError> ErrorOfAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception error) when (error.GetType() is { IsGenericType: true, Name: "ApiException`1" } type)
        {
            dynamic typed = error;
            return new TypedApiError((int)typed.StatusCode, type.GetGenericArguments()[0].Name, typed.Result);
        }
        throw new Xunit.Sdk.XunitException("The call did not throw an ApiException<T>");
    }
}

/// <summary>An error answer as the generated client surfaces it.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="BodyType">The generated type the problem was read as, e.g. <c>ProblemDetails</c>.</param>
/// <param name="Body">The problem.</param>
public sealed record TypedApiError(int Status, string BodyType, dynamic Body);
