using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;

namespace LinRegService.Sweeps;

/// <summary>One grid point: its place in grid order and the value of each grid field.</summary>
internal sealed record GridPoint(int Index, IReadOnlyDictionary<string, JsonElement> Values);

/// <summary>
/// A sweep's grid: which fields it may vary, the cartesian product of their values (the last
/// field varying fastest, as nested loops would), and a point's values written into the base
/// request. Values are set in the request's JSON and read back with the API's own options, so a
/// grid value is read exactly as the same value in a job request would be, unknown fields refused.
/// </summary>
internal static class SweepGrid
{
    private const string NotSweepable = "training.warmStartFrom";

    /// <summary>At most this many unknown fields are named one by one in an answer.</summary>
    private const int MaxNamedErrors = 10;

    /// <summary>The field paths a grid may vary: every field of the request's <c>dataset</c> and <c>training</c>, but a warm start.</summary>
    public static IReadOnlyList<string> Fields(JsonSerializerOptions json) =>
    [
        .. PathsOf<DatasetRequest>("dataset", json),
        .. PathsOf<TrainingRequest>("training", json).Where(path => path != NotSweepable),
    ];

    /// <summary>Every problem of the grid, keyed as <c>grid</c>, <c>grid.&lt;path&gt;</c> or <c>grid.&lt;path&gt;[i]</c>.</summary>
    public static Dictionary<string, string[]> Check(SweepRequest request, int maxJobs, JsonSerializerOptions json)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Base?.Training?.WarmStartFrom is not null)
        {
            errors["base.training.warmStartFrom"] = ["A sweep cannot warm-start: every grid point trains from the same starting weights."];
        }
        if (request.Grid is not { Count: > 0 } grid)
        {
            errors["grid"] = ["The grid must name at least one field and its values, e.g. {\"training.learningRate\": [0.01, 0.1]}."];
            return errors;
        }
        IReadOnlyList<string> fields = Fields(json);
        string[] unknown = [.. grid.Keys.Where(path => !fields.Contains(path))];
        if (unknown.Length > 0)
        {
            // Named once each, the valid fields once: a body of a thousand made-up names gets a short answer.
            foreach (string path in unknown.Take(MaxNamedErrors))
            {
                errors[$"grid.{path}"] = [$"'{path}' is not a field a sweep can vary."];
            }
            errors["grid"] = [$"A sweep can vary {string.Join(", ", fields)}."];
            return errors;
        }
        long points = 1;
        foreach ((string path, IReadOnlyList<JsonElement>? values) in grid)
        {
            points *= Math.Max(values?.Count ?? 0, 1);
            if (points > maxJobs)
            {
                // Checked before any value is read, so a huge grid costs no more than counting it.
                errors["grid"] = [$"The grid has more than {maxJobs} points; a sweep may have at most {maxJobs} jobs (Sweeps:MaxJobs)."];
                return errors;
            }
        }
        // The base written once; each value is tried on a copy.
        JsonObject template = JsonSerializer.SerializeToNode(request.Base ?? new JobRequest(), json)!.AsObject();
        foreach ((string path, IReadOnlyList<JsonElement>? values) in grid)
        {
            if (values is not { Count: > 0 })
            {
                errors[$"grid.{path}"] = ["Give at least one value."];
                continue;
            }
            for (int i = 0; i < values.Count; i++)
            {
                if (ReadError(template, path, values[i], json) is { } error)
                {
                    errors[$"grid.{path}[{i}]"] = [error];
                }
            }
        }
        return errors;
    }

    /// <summary>The cartesian product of the grid's values, in grid order.</summary>
    public static IReadOnlyList<GridPoint> Points(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> grid)
    {
        var points = new List<GridPoint>();
        var paths = grid.Keys.ToArray();
        int count = paths.Aggregate(1, (product, path) => product * grid[path].Count);
        for (int index = 0; index < count; index++)
        {
            var values = new Dictionary<string, JsonElement>(paths.Length);
            int rest = index;
            for (int k = paths.Length - 1; k >= 0; k--)
            {
                IReadOnlyList<JsonElement> choices = grid[paths[k]];
                values[paths[k]] = choices[rest % choices.Count];
                rest /= choices.Count;
            }
            points.Add(new GridPoint(index, paths.ToDictionary(path => path, path => values[path])));
        }
        return points;
    }

    /// <summary>The base request with the point's values set.</summary>
    public static JobRequest Apply(JobRequest baseRequest, GridPoint point, JsonSerializerOptions json) =>
        Apply(JsonSerializer.SerializeToNode(baseRequest, json)!.AsObject(), point, json);

    private static JobRequest Apply(JsonObject baseRequest, GridPoint point, JsonSerializerOptions json)
    {
        JsonObject request = baseRequest.DeepClone().AsObject();
        foreach ((string path, JsonElement value) in point.Values)
        {
            Set(request, path, value);
        }
        return request.Deserialize<JobRequest>(json)!;
    }

    private static string? ReadError(JsonObject template, string path, JsonElement value, JsonSerializerOptions json)
    {
        try
        {
            Apply(template, new GridPoint(0, new Dictionary<string, JsonElement> { [path] = value }), json);
            return null;
        }
        catch (JsonException e)
        {
            return $"{value.GetRawText()} is not a value of {path}: {e.Message}";
        }
    }

    private static void Set(JsonObject request, string path, JsonElement value)
    {
        string[] parts = path.Split('.');
        if (request[parts[0]] is not JsonObject section)
        {
            request[parts[0]] = section = [];
        }
        section[parts[1]] = JsonSerializer.SerializeToNode(value);
    }

    private static IEnumerable<string> PathsOf<T>(string section, JsonSerializerOptions json) =>
        json.GetTypeInfo(typeof(T)).Properties.Select(property => $"{section}.{property.Name}");
}
