using System.Text.Json;

namespace LinRegService.Client;

/// <summary>Turns an error answer into a <see cref="LinRegServiceException"/>, reading its problem details with System.Text.Json.</summary>
internal static class ErrorAnswers
{
    /// <summary>How much of a body that is not a problem goes into the exception.</summary>
    private const int MaxBodyChars = 500;

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        if (TryReadProblem(body) is { } problem)
        {
            throw new LinRegServiceException(response.StatusCode,
                problem.Title, problem.Detail, problem.Type, problem.Errors, retryAfter);
        }
        string excerpt = body.Length > MaxBodyChars ? body[..MaxBodyChars] + "…" : body;
        throw new LinRegServiceException(response.StatusCode,
            response.ReasonPhrase, string.IsNullOrWhiteSpace(excerpt) ? null : excerpt.Trim(), retryAfter: retryAfter);
    }

    private sealed record Problem(string? Type, string? Title, string? Detail, Dictionary<string, string[]> Errors);

    private static Problem? TryReadProblem(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out JsonElement map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty field in map.EnumerateObject())
                {
                    errors[field.Name] = Messages(field.Value);
                }
            }
            return new Problem(Text(root, "type"), Text(root, "title"), Text(root, "detail"), errors);
        }
        catch (JsonException)
        {
            return null; // not JSON: a proxy's page, say; the caller keeps the body's start
        }
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A field's messages: an array of strings as the service sends them, a lone string tolerated.</summary>
    private static string[] Messages(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => [.. value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)],
        JsonValueKind.String => [value.GetString()!],
        _ => [],
    };
}
