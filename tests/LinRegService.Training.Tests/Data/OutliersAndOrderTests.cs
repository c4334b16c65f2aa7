using LinRegService.Training.Data;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Data;

/// <summary>
/// Outliers and label order are part of the dataset's pure function: named rows get their label,
/// a seeded fraction is shifted row by row, the sort is a stable permutation of the perturbed
/// rows, and any row range regenerates alone to the same bits.
/// </summary>
public class OutliersAndOrderTests
{
    /// <summary>16 features: 4096 rows per chunk; 3 full chunks and a partial fourth.</summary>
    private static readonly DatasetSpec _plain = new(
        [.. Enumerable.Range(0, 16).Select(i => (i * 0.25f) - 2f)], 0.5f, (3 * 4096) + 1000, 0.1f, 1f, Seed: 12);

    private static readonly DatasetOutliers _outliers = new() { Rows = [5, 4096, 9000], Label = 10000f, Fraction = 0.1, Shift = 25f };

    public static TheoryData<string, int, int> Ranges()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string variant in new[] { "outliers", "sorted", "both" })
        {
            data.Add(variant, 0, 10);             // near the start: the sorted range's bounded heap
            data.Add(variant, 100, 50);
            data.Add(variant, 1600, 61);          // the last range the heap takes (n / 8 keys)
            data.Add(variant, 1600, 62);          // the first that sorts every key
            data.Add(variant, 4090, 20);          // across a chunk boundary
            data.Add(variant, 0, _plain.Examples); // everything
            data.Add(variant, _plain.Examples - 3, 3);
        }
        return data;
    }

    private static DatasetSpec Variant(string variant) => variant switch
    {
        "outliers" => _plain with { Outliers = _outliers },
        "sorted" => _plain with { Order = RowOrder.SortedByLabel },
        _ => _plain with { Outliers = _outliers, Order = RowOrder.SortedByLabel },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void GenerateRows_equals_the_same_slice_of_Generate(string variant, int offset, int count)
    {
        DatasetSpec spec = Variant(variant);
        Dataset all = DatasetGenerator.Generate(spec);

        Dataset rows = DatasetGenerator.GenerateRows(spec, offset, count);

        Assert.Equal(Approx.Bits(all.Labels[offset..(offset + count)]), Approx.Bits(rows.Labels));
        Assert.Equal(Approx.Bits(all.Features[(offset * 16)..((offset + count) * 16)]), Approx.Bits(rows.Features));
    }

    [Fact]
    public void Named_rows_get_the_label_and_a_seeded_fraction_is_shifted()
    {
        Dataset plain = DatasetGenerator.Generate(_plain);
        Dataset perturbed = DatasetGenerator.Generate(_plain with { Outliers = _outliers });

        Assert.Equal(plain.Features, perturbed.Features);
        int shifted = 0;
        for (int i = 0; i < plain.Examples; i++)
        {
            if (_outliers.Rows.Contains(i))
            {
                Assert.Equal(10000f, perturbed.Labels[i]);
            }
            else if (perturbed.Labels[i] != plain.Labels[i])
            {
                Assert.Equal(plain.Labels[i] + 25f, perturbed.Labels[i]);
                shifted++;
            }
        }
        // Binomial(13288, 0.1): mean 1329, sd 35; ±6 sd.
        Assert.InRange(shifted, 1329 - 210, 1329 + 210);
    }

    [Fact]
    public void The_fraction_depends_on_the_dataset_seed()
    {
        var outliers = new DatasetOutliers { Fraction = 0.5, Shift = 1f };
        Dataset one = DatasetGenerator.Generate(_plain with { Outliers = outliers });
        Dataset other = DatasetGenerator.Generate(_plain with { Seed = 13, Outliers = outliers });
        Dataset otherPlain = DatasetGenerator.Generate(_plain with { Seed = 13 });
        Dataset plain = DatasetGenerator.Generate(_plain);

        bool[] shiftedOne = [.. one.Labels.Select((y, i) => y != plain.Labels[i])];
        bool[] shiftedOther = [.. other.Labels.Select((y, i) => y != otherPlain.Labels[i])];
        Assert.NotEqual(shiftedOne, shiftedOther);
    }

    [Fact]
    public void Sorted_rows_are_a_stable_ascending_permutation_of_the_perturbed_rows()
    {
        DatasetSpec spec = Variant("both");
        Dataset generated = DatasetGenerator.Generate(spec with { Order = RowOrder.Generated });
        Dataset sorted = DatasetGenerator.Generate(spec);

        for (int i = 1; i < sorted.Examples; i++)
        {
            Assert.True(sorted.Labels[i - 1] <= sorted.Labels[i], $"labels {i - 1} and {i} are out of order");
        }
        Assert.Equal(generated.Labels.Order(), sorted.Labels);
        // The three rows that share the label 10000 are last, in their generated order (stable).
        for (int k = 0; k < 3; k++)
        {
            int at = sorted.Examples - 3 + k;
            Assert.Equal(generated.Row(_outliers.Rows[k]).ToArray(), sorted.Row(at).ToArray());
        }
        // Every row keeps its own features (rows move whole), and rows of equal labels keep their order.
        var byLabel = new Dictionary<float, Queue<float[]>>();
        for (int i = 0; i < generated.Examples; i++)
        {
            if (!byLabel.TryGetValue(generated.Labels[i], out Queue<float[]>? rows))
            {
                byLabel[generated.Labels[i]] = rows = new Queue<float[]>();
            }
            rows.Enqueue(generated.Row(i).ToArray());
        }
        for (int i = 0; i < sorted.Examples; i++)
        {
            Assert.Equal(byLabel[sorted.Labels[i]].Dequeue(), sorted.Row(i).ToArray());
        }
    }
}
