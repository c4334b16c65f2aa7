using LinRegService.Training.ClosedForm;

namespace LinRegService.Training.Tests.ClosedForm;

/// <summary>
/// Where the features fill whole vectors, GramPanel sums the constant's and the label's products
/// with the features as their own rows (the mirrored entries): every entry must keep its bits.
/// </summary>
public class GramMirrorTests
{
    [Theory]
    [InlineData(8, 64, false)]   // one Vector256 of features: mirrored at 256 bits only
    [InlineData(8, 64, true)]
    [InlineData(16, 64, false)]  // the benchmark's width: mirrored at both widths
    [InlineData(16, 37, true)]   // a partial panel: zero rows add nothing either way
    [InlineData(24, 64, false)]
    [InlineData(32, 64, true)]
    [InlineData(48, 50, true)]   // three Vector512 of features: the widest block, then the mirrored rows
    [InlineData(256, 64, false)]
    [InlineData(256, 64, true)]
    [InlineData(15, 64, true)]   // features that do not fill a vector: nothing is mirrored, the same path
    public void Mirrored_sums_have_the_bits_of_the_plain_kernel(int features, int rows, bool wide)
    {
        int stride = features + 1;
        float[] packed = GramPanelChecks.RandomPackedRows(features, rows, features * 1000 + rows);
        var mirrored = new GramPanel(features, wide, mirror: true);
        var plain = new GramPanel(features, wide, mirror: false);
        GramPanelChecks.AddTwice(packed, rows, features, mirrored, plain);

        GramPanelChecks.AssertSameBits(plain, "plain", mirrored, "mirrored");
        // And the sums are the data's: the label's square against a float64 sum of the rows.
        double labels = 0;
        for (int r = 0; r < rows; r++)
        {
            labels += (double)packed[(r * stride) + features] * packed[(r * stride) + features];
        }
        Assert.Equal(2 * labels, mirrored.Sum(features + 1, features + 1), 2 * labels * 1e-5);
    }
}
