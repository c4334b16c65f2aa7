using LinRegService.Training.Random;

namespace LinRegService.Training.Tests.Random;

/// <summary>The Fisher–Yates shuffle the in-cache path uses yields uniform permutations.</summary>
public class ShuffleRandomTests
{
    [Fact]
    public void Permutation_contains_every_index_once()
    {
        int[] order = new int[1000];
        new ShuffleRandom(StreamKey.For(1, StreamKey.Purpose.LocalPermutation)).Permutation(order);

        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), order);
    }

    [Fact]
    public void All_six_permutations_of_three_are_equally_likely()
    {
        // 60 000 draws, 10 000 expected each; binomial SE √(N·p·(1−p)) ≈ 91, so 5 SE ≈ 456.
        const int Trials = 60_000;
        var rng = new ShuffleRandom(StreamKey.For(2, StreamKey.Purpose.LocalPermutation));
        var counts = new Dictionary<int, int>();
        int[] order = new int[3];
        for (int i = 0; i < Trials; i++)
        {
            rng.Permutation(order);
            int key = (order[0] * 100) + (order[1] * 10) + order[2];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        double bound = 5 * Math.Sqrt(Trials * (1.0 / 6) * (5.0 / 6));
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, (Trials / 6) - bound, (Trials / 6) + bound));
    }

    [Fact]
    public void NextBelow_stays_below_its_bound_and_reaches_every_value()
    {
        var rng = new ShuffleRandom(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++)
        {
            uint value = rng.NextBelow(7);
            Assert.True(value < 7);
            counts[value]++;
        }
        // 10 000 expected each, SE ≈ 93: 5 SE.
        Assert.All(counts, count => Assert.InRange(count, 10_000 - 465, 10_000 + 465));
    }

    [Theory]
    [InlineData(1000, 6)]
    [InlineData(1000, 0)]
    [InlineData(77, 3)]
    public void A_permutation_of_slots_is_the_permutation_mapped_to_the_slots(int count, int shift)
    {
        int blocks = (count >> shift) + 1;
        int[] blockList = [.. Enumerable.Range(0, blocks).Select(b => ((b * 7919) + 13) % 10_007)];
        int[] positions = new int[count];
        int[] slots = new int[count];

        new ShuffleRandom(42).Permutation(positions);
        new ShuffleRandom(42).PermutationOfSlots(slots, blockList, shift);

        int mask = (1 << shift) - 1;
        Assert.Equal(positions.Select(p => (blockList[p >> shift] << shift) + (p & mask)), slots);
    }
}
