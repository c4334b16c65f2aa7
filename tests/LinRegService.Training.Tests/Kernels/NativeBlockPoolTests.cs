using LinRegService.Training.Kernels;

namespace LinRegService.Training.Tests.Kernels;

/// <summary>
/// Large buffers outlive their run in <see cref="NativeBlockPool"/> and serve the next run of
/// nearly their size. Sizes here are odd multiples of 2 MiB that no other test asks for, since
/// the pool is shared by the whole process.
/// </summary>
public sealed class NativeBlockPoolTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void A_disposed_buffer_serves_the_next_one_of_its_size()
    {
        long floats = 146 * MiB / sizeof(float);
        nint first = AddressOfAFinishedBuffer(floats);

        using var again = new NativeBuffer<float>(floats - 1000); // same 2 MiB-rounded size

        Assert.Equal(first, Address(again));
    }

    [Fact]
    public void A_block_serves_no_request_far_smaller_or_larger_than_itself()
    {
        long floats = 198 * MiB / sizeof(float);
        nint kept = AddressOfAFinishedBuffer(floats);

        // The kept block is still in the pool while these two hold theirs, so neither can share its address.
        using var smaller = new NativeBuffer<float>(floats / 2);
        using var larger = new NativeBuffer<float>(floats * 2);
        Assert.NotEqual(kept, Address(smaller));
        Assert.NotEqual(kept, Address(larger));

        using var same = new NativeBuffer<float>(floats);
        Assert.Equal(kept, Address(same));
    }

    [Fact]
    public unsafe void Trim_frees_what_is_kept()
    {
        nuint bytes = (nuint)(226 * MiB);
        using (new NativeBuffer<byte>((long)bytes))
        {
        }
        Assert.True(NativeBlockPool.KeptBytes >= (long)bytes);

        NativeBlockPool.Trim(force: true);

        Assert.True(NativeBlockPool.TryTake(bytes, out _) == null, "a trimmed block was handed out");
    }

    /// <summary>Where a buffer of <paramref name="floats"/> lived; it is disposed, so its block is now in the pool.</summary>
    private static nint AddressOfAFinishedBuffer(long floats)
    {
        using var buffer = new NativeBuffer<float>(floats);
        return Address(buffer);
    }

    private static unsafe nint Address<T>(NativeBuffer<T> buffer) where T : unmanaged =>
        (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer.First);
}
