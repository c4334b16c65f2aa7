using LinRegService.Queue;

namespace LinRegService.Tests.Queue;

/// <summary>The in-process gate the workers claim through: the room it offers and what it reserves.</summary>
public sealed class MemoryAdmissionGateTests
{
    private sealed record Claimed(long Bytes);

    [Fact]
    public async Task The_room_is_the_budget_less_the_running_jobs_and_unlimited_when_none_runs()
    {
        using var gate = new MemoryAdmission(budgetBytes: 100);
        var offered = new List<long>();
        Task<Claimed?> Claim(long room, long bytes)
        {
            offered.Add(room);
            return Task.FromResult<Claimed?>(bytes <= room ? new Claimed(bytes) : null);
        }

        (Claimed? first, MemoryAdmission.Reservation? a) = await gate.ClaimAsync(room => Claim(room, 150), c => c.Bytes, CancellationToken.None);
        (Claimed? second, _) = await gate.ClaimAsync(room => Claim(room, 10), c => c.Bytes, CancellationToken.None);
        a!.Dispose();
        a.Dispose(); // once only
        (Claimed? third, MemoryAdmission.Reservation? c) = await gate.ClaimAsync(room => Claim(room, 60), c => c.Bytes, CancellationToken.None);
        (Claimed? fourth, _) = await gate.ClaimAsync(room => Claim(room, 50), c => c.Bytes, CancellationToken.None);

        Assert.Equal([long.MaxValue, 0, long.MaxValue, 40], offered); // alone, a job over the budget still runs
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(third);
        Assert.Null(fourth);
        Assert.Equal(60, gate.ReservedBytes);
        c!.Dispose();
        Assert.Equal(0, gate.ReservedBytes);
    }
}
