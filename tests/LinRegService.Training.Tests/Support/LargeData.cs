namespace LinRegService.Training.Tests.Support;

/// <summary>
/// Tests that allocate hundreds of megabytes or keep both cores busy run one at a time, after the
/// parallel ones, so they neither starve each other nor the "returns promptly" checks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeData
{
    public const string Name = "Large data";
}
