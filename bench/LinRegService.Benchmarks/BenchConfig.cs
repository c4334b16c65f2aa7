using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LinRegService.Benchmarks;

/// <summary>
/// In-process runs (no generated project to restore and build), a fixed number of iterations so
/// the whole suite stays within minutes on two cores, and the memory diagnoser on every benchmark
/// (a training step must allocate nothing).
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        AddColumnProvider(DefaultColumnProviders.Instance);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
