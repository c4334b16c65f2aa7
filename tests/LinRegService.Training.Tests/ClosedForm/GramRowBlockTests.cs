using LinRegService.Training.ClosedForm;

namespace LinRegService.Training.Tests.ClosedForm;

/// <summary>
/// GramPanel sums 8 rows of the triangle at a time at 512 bits and 4 at 256 bits: how the entries
/// are grouped into register blocks must not change a single entry's bits.
/// </summary>
public class GramRowBlockTests
{
    [Theory]
    [InlineData(2, 64)]    // 4 columns: one 4-row block only
    [InlineData(6, 64)]    // 8 columns: exactly one 8-row block
    [InlineData(7, 37)]    // 9 columns: an 8-row block, then a 4-row block into the padding; a partial panel
    [InlineData(14, 64)]   // 16 columns: two 8-row blocks
    [InlineData(16, 64)]   // mirrored at 512 bits: 8-row feature blocks, then the constant and the label
    [InlineData(30, 50)]
    [InlineData(46, 64)]   // 48 columns: the widest block
    [InlineData(64, 64)]
    [InlineData(256, 64)]  // the 200,000×256 benchmark's width
    public void Eight_row_blocks_have_the_bits_of_four_row_blocks(int features, int rows)
    {
        int stride = features + 1;
        float[] packed = GramPanelChecks.RandomPackedRows(features, rows, features * 7919 + rows);
        var eightRows = new GramPanel(features, wide: true);
        var fourRows = new GramPanel(features, wide: false);
        GramPanelChecks.AddTwice(packed, rows, features, eightRows, fourRows);

        GramPanelChecks.AssertSameBits(fourRows, "in 4-row blocks", eightRows, "in 8-row blocks");
        // Not zero by accident: the first feature's square is a float64 sum of the rows, near enough.
        double first = 0;
        for (int r = 0; r < rows; r++)
        {
            first += (double)packed[r * stride] * packed[r * stride];
        }
        Assert.Equal(2 * first, eightRows.Sum(0, 0), 2 * first * 1e-5);
    }
}
