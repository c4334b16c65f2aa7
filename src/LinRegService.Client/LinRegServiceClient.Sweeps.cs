using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using LinRegService.Contracts;

namespace LinRegService.Client;

public sealed partial class LinRegServiceClient
{
    /// <inheritdoc/>
    public async Task<Sweep> SubmitSweepAsync(SweepRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, SweepRoutes.Sweeps)
        {
            Content = JsonContent.Create(request, options: ContractJson.Options),
        };
        return await SendAsync<Sweep>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Sweep> GetSweepAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Get, SweepRoutes.Sweep(id));
        return await SendAsync<Sweep>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Sweep> WaitSweepAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return PollAsync(token => GetSweepAsync(id, token), sweep => sweep.Status is SweepStatus.Finished or SweepStatus.Canceled, timeout, pollInterval,
            sweep => $"Sweep '{id}' did not finish within {timeout} (" + (sweep is null
                ? "never read"
                : $"last {sweep.Status.ToString().ToLowerInvariant()} with {sweep.Progress.Succeeded + sweep.Progress.Failed + sweep.Progress.Canceled} of {sweep.Progress.Total} jobs ended") + ").",
            cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SweepStreamEvent> WatchSweepAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await foreach (SweepStreamEvent item in ReadEventsAsync(SweepRoutes.Events(id), ParseSweepEvent, SweepEventNames.Done, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private static SweepStreamEvent? ParseSweepEvent(SseItem<string> item) => item.EventType switch
    {
        SweepEventNames.Sweep => new SweepStreamEvent(item.EventType, Sweep: Read<Sweep>(item.Data)),
        SweepEventNames.Epoch => new SweepStreamEvent(item.EventType, Epoch: Read<SweepEpochEvent>(item.Data)),
        SweepEventNames.Done => new SweepStreamEvent(item.EventType, Done: Read<SweepDoneEvent>(item.Data)),
        _ => null,
    };

    /// <inheritdoc/>
    public async Task<Sweep> CancelSweepAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Post, SweepRoutes.Cancel(id));
        return await SendAsync<Sweep>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteSweepAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Delete, SweepRoutes.Sweep(id));
        using HttpResponseMessage response = await SendRawAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ErrorAnswers.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Sweep> ListSweepsAsync(
        int? pageSize = null, string? owner = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            SweepList page = await ListSweepsPageAsync(pageSize, cursor, owner, cancellationToken).ConfigureAwait(false);
            foreach (Sweep sweep in page.Items)
            {
                yield return sweep;
            }
            cursor = page.Next;
        }
        while (cursor is not null);
    }

    /// <inheritdoc/>
    public async Task<SweepList> ListSweepsPageAsync(int? limit = null, string? cursor = null, string? owner = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, SweepRoutes.List(limit, cursor, owner));
        return await SendAsync<SweepList>(message, cancellationToken).ConfigureAwait(false);
    }
}
