using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LinRegService.Telemetry;

namespace LinRegService.Events;

/// <summary>
/// The event streams open in this process, per caller (a key id, or a keyless caller's address):
/// each holds a connection and re-reads its job, so one key may keep at most <c>Events:MaxStreamsPerKey</c> open.
/// </summary>
internal sealed class OpenStreams
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private int _total;

    public OpenStreams(IMeterFactory meters) =>
        meters.Create(ServiceTelemetry.Name).CreateObservableUpDownCounter(
            "linreg.event_streams.open", () => Volatile.Read(ref _total), "{stream}", "Event streams (of jobs and sweeps) open on this replica.");

    /// <summary>How many streams <paramref name="caller"/> has open now.</summary>
    public int Count(string caller) => _open.TryGetValue(caller, out int n) ? n : 0;

    /// <summary>A slot for one more stream of <paramref name="caller"/>, released when disposed; null when it has <paramref name="max"/> open.</summary>
    public IDisposable? TryOpen(string caller, int max)
    {
        while (true)
        {
            int open = Count(caller);
            if (open >= max)
            {
                return null;
            }
            bool taken = open == 0 ? _open.TryAdd(caller, 1) : _open.TryUpdate(caller, open + 1, open);
            if (taken)
            {
                Interlocked.Increment(ref _total);
                return new Slot(this, caller);
            }
        }
    }

    private void Release(string caller)
    {
        while (true)
        {
            int open = Count(caller);
            // The last one out removes the entry, so callers that come and go leave nothing behind.
            if (open <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(caller, open)) : _open.TryUpdate(caller, open - 1, open))
            {
                Interlocked.Decrement(ref _total);
                return;
            }
        }
    }

    private sealed class Slot(OpenStreams streams, string caller) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                streams.Release(caller);
            }
        }
    }
}
