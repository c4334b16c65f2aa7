using BenchmarkDotNet.Attributes;
using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Benchmarks;

/// <summary>The book's run (1000×2, lr 0.03, batch 10, 3 epochs): training alone, warm, and the whole job.</summary>
public class BookRunBenchmarks
{
    private readonly Dataset _data = DatasetGenerator.Generate(DatasetSpec.Book(42));
    private readonly TrainingOptions _options = new() { Seed = 7 };
    private readonly TrainingLimits _limits = new();

    [Benchmark]
    public TrainingResult TrainThreeEpochs() => SgdTrainer.Train(_data, _options);

    [Benchmark]
    public RunResult WholeJob() => LinearRegressionRun.Execute(DatasetSpec.Book(42), _options, _limits);
}
