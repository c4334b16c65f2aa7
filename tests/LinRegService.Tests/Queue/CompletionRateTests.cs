using LinRegService.Queue;
using Microsoft.Extensions.Time.Testing;

namespace LinRegService.Tests.Queue;

/// <summary>The Retry-After of a full queue from the completions of the last minute, on a fake clock.</summary>
public sealed class CompletionRateTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddDays(1000));
    private readonly CompletionRate _rate;

    public CompletionRateTests() => _rate = new CompletionRate(_clock);

    private void Complete(int jobs, TimeSpan apart)
    {
        for (int i = 0; i < jobs; i++)
        {
            _rate.Started();
            _clock.Advance(apart);
            _rate.Ended(completed: true);
        }
    }

    [Fact]
    public void With_nothing_finished_or_running_it_is_the_floor()
    {
        Assert.Equal(5, _rate.RetryAfterSeconds(5));
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(5, _rate.RetryAfterSeconds(5)); // idle is not slow
    }

    [Fact]
    public void It_is_the_mean_time_between_completions_of_the_last_minute()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        Complete(3, TimeSpan.FromSeconds(20));

        Assert.Equal(20, _rate.RetryAfterSeconds(1)); // 3 in the last 60 s
        Assert.Equal(30, _rate.RetryAfterSeconds(30)); // never below the floor
    }

    [Fact]
    public void A_young_process_divides_only_the_time_it_has_watched()
    {
        Complete(4, TimeSpan.FromSeconds(2));

        Assert.Equal(2, _rate.RetryAfterSeconds(1)); // 4 in 8 s, not 4 in 60 s
    }

    [Fact]
    public void Fast_completions_give_the_floor_and_never_less_than_a_second()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        Complete(240, TimeSpan.FromMilliseconds(250));

        Assert.Equal(1, _rate.RetryAfterSeconds(1));
        Assert.Equal(1, _rate.RetryAfterSeconds(0));
        Assert.Equal(5, _rate.RetryAfterSeconds(5));
    }

    [Fact]
    public void Running_jobs_without_a_recent_completion_count_how_long_they_have_run()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        Complete(3, TimeSpan.FromSeconds(20));
        _rate.Started();
        _clock.Advance(TimeSpan.FromSeconds(61)); // the completions age out of the window

        Assert.Equal(61, _rate.RetryAfterSeconds(1)); // since the last completion
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(661, _rate.RetryAfterSeconds(1));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(CompletionRate.MaxSeconds, _rate.RetryAfterSeconds(1));
    }

    [Fact]
    public void A_job_handed_back_is_no_completion()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        _rate.Started();
        _clock.Advance(TimeSpan.FromSeconds(10));
        _rate.Ended(completed: false);

        Assert.Equal(3, _rate.RetryAfterSeconds(3));
    }
}
