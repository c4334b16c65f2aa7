using Microsoft.OpenApi;

namespace LinRegService.OpenApi;

/// <summary>
/// The document's <c>servers</c>: the address the document itself was asked at (scheme, host and
/// path base), so a client generated from it gets a base URL that reaches this service.
/// </summary>
internal static class ServerEntry
{
    public static void FromRequest(OpenApiDocument document, HttpRequest request) =>
        document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}" }];
}
