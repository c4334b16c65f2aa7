using LinRegService.Training.Data;

namespace LinRegService.Training.Tests.Support;

/// <summary>
/// Tests that allocate hundreds of megabytes or keep both cores busy run one at a time, after the
/// parallel ones, so they neither starve each other nor the "returns promptly" checks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeData
{
    public const string Name = "Large data";

    /// <summary>50 000 × 16: 3.4 MB packed, above SgdTrainer.InCacheBytes, so the bucketed path (16 buckets).</summary>
    public static readonly DatasetSpec Bucketed = new(
        [.. Enumerable.Range(0, 16).Select(i => (i % 5) - 2f)], 1f, 50_000, 0.1f, 0.25f, Seed: 8);
}
