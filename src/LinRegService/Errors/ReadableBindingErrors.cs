using System.Text.Json;
using System.Text.RegularExpressions;

namespace LinRegService.Errors;

/// <summary>
/// Rewrites the framework's binding failures in words: the field or parameter they concern and
/// what it should hold, never a .NET type name (<c>Failed to bind parameter "int? limit"</c> becomes
/// <c>limit: "abc" is not a whole number</c>). Only the message's shape is read, so an unknown shape
/// falls back to a plain sentence rather than leaking the original.
/// </summary>
internal static partial class ReadableBindingErrors
{
    /// <summary>The field the failure concerns (a JSON path without <c>$.</c>, a query parameter, or <c>body</c>) and the sentence for it.</summary>
    public static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }
        string message = bad.Message;
        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            string name = failed.Groups["name"].Value;
            return (name, $"{name}: \"{Shortened(failed.Groups["value"].Value)}\" is not {Expected(failed.Groups["type"].Value)}.");
        }
        if (RequiredBody().IsMatch(message) || ImplicitBody().IsMatch(message))
        {
            return ("body", "The request body must be a JSON object; send {} for the book's run.");
        }
        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            string name = required.Groups["name"].Value;
            return (name, $"{name} is required.");
        }
        return ("body", "The request could not be read.");
    }

    private static (string Field, string Message) DescribeJson(JsonException json)
    {
        string field = FieldOf(json.Path);
        string where = field.Length == 0 ? "the request body" : $"'{field}'";
        string position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine})" : "";
        string message = json.Message;
        string reason;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            reason = $"{where} is not a field of this request (check its spelling)";
        }
        else if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"{where} appears more than once; give each field once";
        }
        else if (ConvertTo().Match(message) is { Success: true } convert)
        {
            reason = field.Length == 0
                ? "the request body must be a JSON object"
                : $"{where} must be {Expected(convert.Groups["type"].Value)}";
        }
        else if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            reason = $"the JSON is nested too deeply at {where}";
        }
        else
        {
            reason = $"the JSON is malformed at {where}";
        }
        return (field.Length == 0 ? "body" : field, $"{char.ToUpperInvariant(reason[0])}{reason[1..]}{position}.");
    }

    /// <summary>A client's value as echoed back: at most 40 characters.</summary>
    internal static string Shortened(string value) => value.Length <= 40 ? value : $"{value[..40]}…";

    /// <summary>"$.dataset.weights[1]" → "dataset.weights[1]"; "$" → "".</summary>
    private static string FieldOf(string? path) => path switch
    {
        null or "$" => "",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    /// <summary>What a value of the .NET type named in a framework message looks like, in words.</summary>
    private static string Expected(string typeName)
    {
        string type = typeName.TrimEnd('?').Replace("System.", "", StringComparison.Ordinal);
        // "Nullable<int>" (parameters) and "Nullable`1[Single]" (JSON) name the inner type.
        foreach (string wrapper in (string[])["Nullable<", "Nullable`1["])
        {
            if (type.StartsWith(wrapper, StringComparison.Ordinal))
            {
                type = type[wrapper.Length..^1];
            }
        }
        return type switch
        {
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "int" or "long" or "short" => "a whole number in range",
            "Single" or "Double" or "Decimal" or "float" or "double" or "decimal" => "a number",
            "String" or "string" => "a string",
            "Boolean" or "bool" => "true or false",
            "DateTime" or "DateTimeOffset" => "a date and time",
            "Guid" => "an id",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "an array",
            _ => "a JSON object",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "[^"]+" was not provided from body""")]
    private static partial Regex RequiredBody();

    [GeneratedRegex("""^Implicit body inferred for parameter""")]
    private static partial Regex ImplicitBody();

    [GeneratedRegex("""^Required parameter "[^"]* (?<name>[^" ]+)" was not provided""")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("""could not be converted to (?<type>[^.\s]+(\.[^.\s]+)*?)\.? Path""")]
    private static partial Regex ConvertTo();
}
