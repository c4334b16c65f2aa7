using System.ComponentModel.DataAnnotations;

namespace LinRegService.Events;

/// <summary>Settings of the event streams (section <c>Events</c>); docs/configuration.md describes each.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>A comment line is sent after this much silence, so proxies and clients keep an idle stream open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A stream re-reads its job at least this often, in case a change notification was lost.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Event streams one key (or one keyless caller's address) may hold open at once; one more is a 429.</summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerKey { get; set; } = 10;
}
