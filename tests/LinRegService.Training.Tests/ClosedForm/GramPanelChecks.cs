using LinRegService.Training.ClosedForm;

namespace LinRegService.Training.Tests.ClosedForm;

/// <summary>What the GramPanel tests share: random packed rows, and every entry of two panels compared bit for bit.</summary>
internal static class GramPanelChecks
{
    /// <summary>Rows of <paramref name="features"/> features and a label, packed (stride features + 1), uniform in [-2, 2).</summary>
    public static float[] RandomPackedRows(int features, int rows, int seed)
    {
        var random = new System.Random(seed);
        float[] packed = new float[rows * (features + 1)];
        for (int i = 0; i < packed.Length; i++)
        {
            packed[i] = (float)((random.NextDouble() * 4) - 2);
        }
        return packed;
    }

    /// <summary>Adds the rows to both panels twice, so the double sums are added into once more than they are set.</summary>
    public static void AddTwice(float[] packed, int rows, int features, GramPanel first, GramPanel second)
    {
        for (int round = 0; round < 2; round++)
        {
            first.AddPacked(ref packed[0], rows, features + 1);
            second.AddPacked(ref packed[0], rows, features + 1);
        }
    }

    /// <summary>Every entry of the upper triangle (features, constant, label) has the same bits in both panels.</summary>
    public static void AssertSameBits(GramPanel expected, string expectedName, GramPanel actual, string actualName)
    {
        int columns = expected.Features + 2;
        for (int i = 0; i < columns; i++)
        {
            for (int j = i; j < columns; j++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected.Sum(i, j)) == BitConverter.DoubleToInt64Bits(actual.Sum(i, j)),
                    $"entry ({i}, {j}): {expected.Sum(i, j):R} {expectedName}, {actual.Sum(i, j):R} {actualName}");
            }
        }
    }
}
