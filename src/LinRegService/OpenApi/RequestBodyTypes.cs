using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace LinRegService.OpenApi;

/// <summary>
/// Every type a client can send: the request bodies of all endpoints and whatever their members
/// hold, found once from the API description and the serializer's contracts.
/// </summary>
internal sealed class RequestBodyTypes
{
    private readonly Lazy<HashSet<Type>> _types;

    public RequestBodyTypes(IApiDescriptionGroupCollectionProvider api, IOptions<JsonOptions> json) =>
        _types = new(() => Find(api, new JsonSerializerOptions(json.Value.SerializerOptions)));

    public bool Contains(Type type) => _types.Value.Contains(type);

    private static HashSet<Type> Find(IApiDescriptionGroupCollectionProvider api, JsonSerializerOptions json)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(api.ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .SelectMany(description => description.ParameterDescriptions)
            .Where(parameter => parameter.Source == BindingSource.Body)
            .Select(parameter => parameter.Type));
        while (pending.TryPop(out Type? type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!found.Add(type) || type.IsPrimitive || type == typeof(string))
            {
                continue;
            }
            JsonTypeInfo info = json.GetTypeInfo(type);
            foreach (JsonPropertyInfo member in info.Properties)
            {
                pending.Push(member.PropertyType);
            }
            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }
            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }
        return found;
    }
}
