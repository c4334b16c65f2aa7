using BenchmarkDotNet.Attributes;
using LinRegService.Training.ClosedForm;
using LinRegService.Training.Data;

namespace LinRegService.Benchmarks;

/// <summary>The closed form alone (the Gram matrix, its solve and the loss at the optimum) on the three large configurations.</summary>
public class ClosedFormBenchmarks
{
    private Dataset _data = null!;

    [Params("200000x256", "1000000x16", "10000000x16")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        int examples = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int features = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var spec = new DatasetSpec([.. Enumerable.Range(0, features).Select(i => (float)Math.Sin(i))], 1f, examples, 0.01f, 1f, 3);
        _data = DatasetGenerator.Generate(spec);
    }

    [Benchmark]
    public ClosedFormSolution Solve() => LeastSquares.Solve(_data);
}
