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
    [InlineData(11, 64)]   // 13 columns: an 8-row block, then two 4-row blocks
    [InlineData(254, 64)]
    [InlineData(255, 64)]
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
    /// <summary>
    /// Each entry one lane's float32 fused multiply-adds over a panel's rows in row order, widened and
    /// added in double panel by panel: written out one entry at a time, independently of any blocking.
    /// </summary>
    [Theory]
    [InlineData(1, 63, true)]
    [InlineData(7, 130, true)]    // three panels, the last partial
    [InlineData(11, 64, false)]
    [InlineData(16, 200, true)]   // mirrored at both widths
    [InlineData(16, 200, false)]
    [InlineData(47, 100, true)]
    [InlineData(256, 70, true)]
    public void Every_entry_has_the_bits_of_its_scalar_sum(int features, int rows, bool wide)
    {
        float[] packed = GramPanelChecks.RandomPackedRows(features, rows, features * 131 + rows);
        var panel = new GramPanel(features, wide);
        for (int start = 0; start < rows; start += GramPanel.Rows)
        {
            panel.AddPacked(ref packed[start * (features + 1)], Math.Min(GramPanel.Rows, rows - start), features + 1);
        }

        int columns = features + 2;
        float Z(int row, int column) =>
            column < features ? packed[(row * (features + 1)) + column] : column == features ? 1f : packed[(row * (features + 1)) + features];
        for (int i = 0; i < columns; i++)
        {
            for (int j = i; j < columns; j++)
            {
                double expected = 0;
                for (int start = 0; start < rows; start += GramPanel.Rows)
                {
                    float lane = 0f;
                    for (int r = start; r < Math.Min(rows, start + GramPanel.Rows); r++)
                    {
                        lane = MathF.FusedMultiplyAdd(Z(r, i), Z(r, j), lane);
                    }
                    expected += lane;
                }
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(panel.Sum(i, j)),
                    $"entry ({i}, {j}): {expected:R} summed one at a time, {panel.Sum(i, j):R} by the kernel");
            }
        }
    }
}
