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
    public async Task<Sweep> WaitSweepAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        PollSchedule pauses = Schedule(timeout, pollInterval);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Sweep? last = null;
        try
        {
            while (true)
            {
                last = await GetSweepAsync(id, deadline.Token).ConfigureAwait(false);
                if (last.Status is SweepStatus.Finished or SweepStatus.Canceled)
                {
                    return last;
                }
                await Task.Delay(pauses.Next(), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException canceled) when (deadline.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string seen = last is null
                ? "never read"
                : $"last {last.Status.ToString().ToLowerInvariant()} with {last.Progress.Succeeded + last.Progress.Failed + last.Progress.Canceled} of {last.Progress.Total} jobs ended";
            throw new TimeoutException($"Sweep '{id}' did not finish within {timeout} ({seen}).", canceled);
        }
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
