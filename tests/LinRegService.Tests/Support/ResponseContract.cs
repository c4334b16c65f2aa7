using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace LinRegService.Tests.Support;

/// <summary>
/// Holds real answers against the OpenAPI document: the operation declares the status, the
/// content type is one declared for it, the body validates against its schema, and declared
/// headers are sent. Collects every difference (rather than stopping at the first) and which
/// operation answered which status, so a test can also see what it never exercised.
/// </summary>
public sealed class ResponseContract(JsonObject document)
{
    private static readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.Hierarchical };

    private readonly List<string> _differences = [];
    private readonly HashSet<(string Operation, string Status)> _seen = [];
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    public IReadOnlyList<string> Differences => _differences;

    /// <summary>Reads and checks <paramref name="response"/> as the answer of <paramref name="method"/> <paramref name="path"/> (the document's template); returns the body.</summary>
    public async Task<byte[]> CheckAsync(HttpResponseMessage response, HttpMethod method, string path)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        string status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string where = $"{method} {path} → {status}";
        if (document["paths"]?[path]?[method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            _differences.Add($"{where}: the document has no such operation");
            return body;
        }
        _seen.Add(((string)operation["operationId"]!, status));
        if (operation["responses"]?[status] is not JsonObject declared)
        {
            _differences.Add($"{where}: status not declared (declared: {string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))}): {Text(body)}");
            return body;
        }
        CheckHeaders(response, declared, where);
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        JsonObject? content = declared["content"] as JsonObject;
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0)
            {
                _differences.Add($"{where}: sent a {mediaType} body, none declared");
            }
            return body;
        }
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            _differences.Add($"{where}: content type '{mediaType}' not declared (declared: {string.Join(", ", content.Select(c => c.Key))})");
            return body;
        }
        JsonNode schema = media["schema"] ?? new JsonObject();
        if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            Validate(where, schema, body);
        }
        else if ((string?)schema["format"] != "binary")
        {
            ValidateText(where, schema, Encoding.UTF8.GetString(body)); // text/plain: the text is the string instance
        }
        return body;
    }

    /// <summary>Holds a JSON text against a named component schema (e.g. an event's data against <c>Job</c>).</summary>
    public void CheckComponent(string where, string component, string json) =>
        Validate(where, new JsonObject { ["$ref"] = $"#/components/schemas/{component}" }, Encoding.UTF8.GetBytes(json));

    /// <summary>Every operation of the document: its path template and method.</summary>
    public IEnumerable<(string Path, HttpMethod Method)> Operations() =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (path.Key, new HttpMethod(operation.Key.ToUpperInvariant()));

    /// <summary>Declared statuses no answer has shown, except those in <paramref name="excused"/>.</summary>
    public IEnumerable<string> Unexercised(params (string Operation, string Status)[] excused) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        let id = (string)operation.Value!["operationId"]!
        from response in operation.Value!["responses"]!.AsObject()
        where !_seen.Contains((id, response.Key)) && !excused.Contains((id, response.Key))
        select $"{id} {response.Key}";

    private void Validate(string where, JsonNode schema, byte[] body)
    {
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body);
        }
        catch (JsonException error)
        {
            _differences.Add($"{where}: not JSON ({error.Message}): {Text(body)}");
            return;
        }
        using (instance)
        {
            Evaluate(where, schema, instance.RootElement, body);
        }
    }

    private void ValidateText(string where, JsonNode schema, string text)
    {
        using JsonDocument instance = JsonDocument.Parse(JsonSerializer.Serialize(text));
        Evaluate(where, schema, instance.RootElement, Encoding.UTF8.GetBytes(text));
    }

    private void Evaluate(string where, JsonNode schema, JsonElement instance, byte[] body)
    {
        string key = schema.ToJsonString();
        if (!_schemas.TryGetValue(key, out JsonSchema? validator))
        {
            _schemas[key] = validator = OpenApiJsonSchema.Build(document, schema);
        }
        EvaluationResults results = validator.Evaluate(instance, _evaluation);
        if (!results.IsValid)
        {
            _differences.Add($"{where}: the body does not match its schema:\n    {string.Join("\n    ", Failures(results))}\n    body: {Text(body)}");
        }
    }

    /// <summary>The errors along failing paths only: a branch of an <c>anyOf</c> that failed while another passed is no difference.</summary>
    private static IEnumerable<string> Failures(EvaluationResults node)
    {
        if (node.IsValid)
        {
            yield break;
        }
        if (node.Errors is { Count: > 0 } errors)
        {
            yield return $"{node.InstanceLocation} ({node.EvaluationPath}): {string.Join("; ", errors.Values)}";
        }
        foreach (string failure in (node.Details ?? []).SelectMany(Failures))
        {
            yield return failure;
        }
    }

    private void CheckHeaders(HttpResponseMessage response, JsonObject declared, string where)
    {
        foreach ((string name, JsonNode? header) in declared["headers"]?.AsObject() ?? [])
        {
            bool sent = response.Headers.Contains(name) || response.Content.Headers.Contains(name);
            if (!sent && header?["required"] is JsonValue required && (bool)required)
            {
                _differences.Add($"{where}: declared header {name} not sent");
            }
        }
    }

    private static string Text(byte[] body) => body.Length > 600 ? Encoding.UTF8.GetString(body, 0, 600) + "…" : Encoding.UTF8.GetString(body);
}
