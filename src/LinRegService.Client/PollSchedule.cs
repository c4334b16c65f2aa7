namespace LinRegService.Client;

/// <summary>Pauses between polls: short at first, so a quick job is seen at once, then doubling up to a cap, so a long one costs few requests.</summary>
internal sealed class PollSchedule
{
    private readonly TimeSpan _longest;
    private TimeSpan _next;

    public PollSchedule(TimeSpan first, TimeSpan longest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(longest, TimeSpan.Zero);
        _longest = longest;
        _next = first < longest ? first : longest;
    }

    public TimeSpan Next()
    {
        TimeSpan pause = _next;
        _next = pause * 2 < _longest ? pause * 2 : _longest;
        return pause;
    }
}
