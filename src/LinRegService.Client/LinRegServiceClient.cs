using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LinRegService.Contracts;
using Microsoft.Extensions.Options;

namespace LinRegService.Client;

/// <summary>
/// <see cref="ILinRegServiceClient"/> over a typed <see cref="HttpClient"/> whose
/// <see cref="HttpClient.BaseAddress"/> is the service's root. JSON goes through
/// <see cref="ContractJson.Options"/>, the service's own definition.
/// </summary>
public sealed partial class LinRegServiceClient : ILinRegServiceClient
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly LinRegServiceClientOptions _options;

    /// <summary>Creates the client; <see cref="LinRegServiceClientExtensions.AddLinRegServiceClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Uri)"/> does this for you.</summary>
    /// <param name="httpClient">Sends the requests; its base address is the service's root (e.g. <c>http://linreg:8080/</c>).</param>
    /// <param name="options">The API key and poll intervals; defaults (no key) when null.</param>
    public LinRegServiceClient(HttpClient httpClient, IOptions<LinRegServiceClientOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _options = options?.Value ?? new LinRegServiceClientOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.FirstPollInterval, TimeSpan.Zero, "options.FirstPollInterval");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.MaxPollInterval, TimeSpan.Zero, "options.MaxPollInterval");
    }

    /// <inheritdoc/>
    public async Task<Job> SubmitAsync(JobRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, JobRoutes.Jobs)
        {
            Content = JsonContent.Create(request, options: ContractJson.Options),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }
        return await SendAsync<Job>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Job> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Get, JobRoutes.Job(id));
        return await SendAsync<Job>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Job> WaitAsync(string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return PollAsync(token => GetAsync(id, token), job => job.Status.IsFinished(), timeout, pollInterval,
            job => $"Job '{id}' did not finish within {timeout} ("
                + (job is null ? "never read" : $"last {JobRoutes.StatusWord(job.Status)} after {job.Progress.Epoch} of {job.Progress.Epochs} epochs") + ").",
            cancellationToken);
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds, pausing on the <see cref="PollSchedule"/>; past
    /// <paramref name="timeout"/> a <see cref="TimeoutException"/> whose message <paramref name="late"/> writes from the last read.
    /// </summary>
    private async Task<T> PollAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan timeout, TimeSpan? pollInterval,
        Func<T?, string> late, CancellationToken cancellationToken) where T : class
    {
        PollSchedule pauses = Schedule(timeout, pollInterval);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        T? last = null;
        try
        {
            while (true)
            {
                last = await read(deadline.Token).ConfigureAwait(false);
                if (done(last))
                {
                    return last;
                }
                await Task.Delay(pauses.Next(), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException canceled) when (deadline.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested(); // the caller's own token stopped it: say so with that token
            throw new TimeoutException(late(last), canceled);
        }
    }

    /// <summary>The pauses of a wait, its arguments checked (the parameters are named as the wait methods name them).</summary>
    private PollSchedule Schedule(TimeSpan timeout, TimeSpan? pollInterval)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }
        if (pollInterval is { } longest)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(longest, TimeSpan.Zero, nameof(pollInterval));
        }
        return new PollSchedule(_options.FirstPollInterval, pollInterval ?? _options.MaxPollInterval);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<JobEvent> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await foreach (JobEvent item in ReadEventsAsync(JobRoutes.Events(id), ParseEvent, JobEventNames.Done, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// An event stream (a job's or a sweep's) read with .NET's <see cref="SseParser"/>, each event
    /// parsed by <paramref name="parse"/> (unknown ones skipped), until <paramref name="done"/>.
    /// </summary>
    private async IAsyncEnumerable<T> ReadEventsAsync<T>(string route, Func<SseItem<string>, T?> parse, string done,
        [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, route);
        message.Headers.Accept.ParseAdd("text/event-stream");
        // Headers only: the body is a stream that stays open while the job or sweep runs.
        using HttpResponseMessage response = await SendRawAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ErrorAnswers.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (SseItem<string> item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (parse(item) is { } parsed)
                {
                    yield return parsed;
                }
                if (item.EventType == done)
                {
                    yield break;
                }
            }
        }
    }

    private static JobEvent? ParseEvent(SseItem<string> item) => item.EventType switch
    {
        JobEventNames.Status => new JobEvent(item.EventType, Job: Read<Job>(item.Data)),
        JobEventNames.Epoch => new JobEvent(item.EventType, Epoch: Read<EpochEvent>(item.Data)),
        JobEventNames.Done => new JobEvent(item.EventType, Done: Read<DoneEvent>(item.Data)),
        _ => null,
    };

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, ContractJson.Options) ?? throw new JsonException($"The event data was null: {json}");

    /// <inheritdoc/>
    public async Task<Job> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Post, JobRoutes.Cancel(id));
        return await SendAsync<Job>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Delete, JobRoutes.Job(id));
        using HttpResponseMessage response = await SendRawAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ErrorAnswers.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Job> ListAsync(
        JobStatus? status = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested(); // not even one more request once the caller has stopped
            JobList page = await ListPageAsync(status, pageSize, cursor, cancellationToken).ConfigureAwait(false);
            foreach (Job job in page.Items)
            {
                yield return job;
            }
            cursor = page.Next;
        }
        while (cursor is not null);
    }

    /// <inheritdoc/>
    public async Task<JobList> ListPageAsync(JobStatus? status = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, JobRoutes.List(status, limit, cursor));
        return await SendAsync<JobList>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<SamplesPage> GetSamplesAsync(string id, int offset = 0, int? count = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var message = new HttpRequestMessage(HttpMethod.Get, JobRoutes.Samples(id, offset, count));
        return await SendAsync<SamplesPage>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SamplesPage> GetSamplePagesAsync(
        string id, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        // The job's request has every default filled in, so it knows how many rows there are.
        Job job = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        int examples = job.Request.Dataset?.Examples
            ?? throw new JsonException($"Job '{id}' came without request.dataset.examples.");
        for (long offset = 0; offset < examples; offset += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await GetSamplesAsync(id, (int)offset, pageSize, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<PredictResponse> PredictAsync(string id, IReadOnlyList<IReadOnlyList<float>> features, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(features);
        using var message = new HttpRequestMessage(HttpMethod.Post, JobRoutes.Predict(id))
        {
            Content = JsonContent.Create(new PredictRequest { Features = features }, options: ContractJson.Options),
        };
        return await SendAsync<PredictResponse>(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every request goes out here: with the API key of the options, unless a handler or the caller set one already.</summary>
    private Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage message, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_options.ApiKey is { Length: > 0 } key && message.Headers.Authorization is null && _http.DefaultRequestHeaders.Authorization is null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return _http.SendAsync(message, completion, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendRawAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ErrorAnswers.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(ContractJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"LinRegService answered {message.Method} {message.RequestUri} with an empty body.");
    }
}
