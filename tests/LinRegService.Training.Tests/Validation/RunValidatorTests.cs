using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Validation;

/// <summary>RunValidator reports every bad field by name, all at once, and nothing for a good run.</summary>
public class RunValidatorTests
{
    private static readonly TrainingLimits _limits = new();
    private static readonly DatasetSpec _book = DatasetSpec.Book(1);
    private static readonly TrainingOptions _defaults = new();

    /// <summary>One bad value per case: (case name, the field its error must name).</summary>
    public static TheoryData<string, string> SingleFaults() => new()
    {
        { "no weights", "dataset.weights" },
        { "NaN weight", "dataset.weights[1]" },
        { "infinite weight", "dataset.weights[0]" },
        { "NaN bias", "dataset.bias" },
        { "infinite bias", "dataset.bias" },
        { "zero examples", "dataset.examples" },
        { "too many examples", "dataset.examples" },
        { "negative noise", "dataset.noiseStd" },
        { "NaN noise", "dataset.noiseStd" },
        { "zero featureStd", "dataset.featureStd" },
        { "infinite featureStd", "dataset.featureStd" },
        { "zero learning rate", "training.learningRate" },
        { "NaN learning rate", "training.learningRate" },
        { "zero batch", "training.batchSize" },
        { "batch above examples", "training.batchSize" },
        { "zero epochs", "training.epochs" },
        { "too many epochs", "training.epochs" },
        { "negative initStd", "training.initStd" },
        { "infinite initStd", "training.initStd" },
        { "warm start too short", "training.initialWeights" },
        { "warm start with NaN", "training.initialWeights[1]" },
        { "NaN initial bias", "training.initialBias" },
    };

    [Fact]
    public void The_books_run_is_valid()
    {
        Assert.Empty(RunValidator.Validate(_book, _defaults, _limits));
        Assert.Empty(RunValidator.Validate(_book with { FeatureStd = 0.1f, NoiseStd = 0f }, _defaults with { InitStd = 0f, BatchSize = 1000 }, _limits));
    }

    [Theory]
    [MemberData(nameof(SingleFaults))]
    public void Each_bad_field_is_reported_by_name(string fault, string field)
    {
        (DatasetSpec dataset, TrainingOptions training) = Faulty(fault);

        IReadOnlyList<ValidationError> errors = RunValidator.Validate(dataset, training, _limits);

        ValidationError error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Several_bad_fields_are_all_reported_at_once()
    {
        DatasetSpec dataset = _book with { Weights = [1f, float.NaN, float.PositiveInfinity], Bias = float.NaN, NoiseStd = -1f };
        TrainingOptions training = _defaults with { LearningRate = -0.1f, Epochs = 0, InitStd = float.NaN, InitialWeights = [1f] };

        string[] fields = RunValidator.Validate(dataset, training, _limits).Select(e => e.Field).ToArray();

        Assert.Equal(
            ["dataset.weights[1]", "dataset.weights[2]", "dataset.bias", "dataset.noiseStd",
             "training.learningRate", "training.epochs", "training.initStd", "training.initialWeights"],
            fields);
    }

    [Fact]
    public void Too_many_features_are_reported()
    {
        DatasetSpec dataset = _book with { Weights = new float[_limits.MaxFeatures + 1], Examples = 10 };

        ValidationError error = Assert.Single(RunValidator.Validate(dataset, _defaults, _limits));

        Assert.Equal("dataset.weights", error.Field);
        Assert.Contains(_limits.MaxFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Empty(RunValidator.Validate(dataset with { Weights = new float[_limits.MaxFeatures] }, _defaults, _limits));
    }

    [Fact]
    public void Too_many_values_are_reported()
    {
        // Both counts within their own limits, their product above MaxValues (2²⁸).
        int features = 4096;
        int examples = (int)(_limits.MaxValues / features) + 1;
        DatasetSpec dataset = _book with { Weights = new float[features], Examples = examples };

        ValidationError error = Assert.Single(RunValidator.Validate(dataset, _defaults, _limits));

        Assert.Equal("dataset.examples", error.Field);
        Assert.Empty(RunValidator.Validate(dataset with { Examples = examples - 1 }, _defaults, _limits));
    }

    [Fact]
    public void Limits_can_be_tightened()
    {
        var tight = new TrainingLimits { MaxFeatures = 1, MaxExamples = 999, MaxEpochs = 2 };

        string[] fields = RunValidator.Validate(_book, _defaults, tight).Select(e => e.Field).ToArray();

        Assert.Equal(["dataset.weights", "dataset.examples", "training.epochs"], fields);
    }

    [Fact]
    public void Execute_rejects_invalid_input_with_ArgumentException_naming_the_fields()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            LinearRegressionRun.Execute(_book with { Examples = 0 }, _defaults with { LearningRate = 0f }, _limits));

        Assert.Contains("dataset.examples", error.Message, StringComparison.Ordinal);
        Assert.Contains("training.learningRate", error.Message, StringComparison.Ordinal);
    }

    private static (DatasetSpec Dataset, TrainingOptions Training) Faulty(string fault) => fault switch
    {
        "no weights" => (_book with { Weights = [] }, _defaults),
        "NaN weight" => (_book with { Weights = [2f, float.NaN] }, _defaults),
        "infinite weight" => (_book with { Weights = [float.NegativeInfinity, 2f] }, _defaults),
        "NaN bias" => (_book with { Bias = float.NaN }, _defaults),
        "infinite bias" => (_book with { Bias = float.PositiveInfinity }, _defaults),
        "zero examples" => (_book with { Examples = 0 }, _defaults with { BatchSize = 1 }),
        "too many examples" => (_book with { Examples = _limits.MaxExamples + 1 }, _defaults),
        "negative noise" => (_book with { NoiseStd = -0.01f }, _defaults),
        "NaN noise" => (_book with { NoiseStd = float.NaN }, _defaults),
        "zero featureStd" => (_book with { FeatureStd = 0f }, _defaults),
        "infinite featureStd" => (_book with { FeatureStd = float.PositiveInfinity }, _defaults),
        "zero learning rate" => (_book, _defaults with { LearningRate = 0f }),
        "NaN learning rate" => (_book, _defaults with { LearningRate = float.NaN }),
        "zero batch" => (_book, _defaults with { BatchSize = 0 }),
        "batch above examples" => (_book, _defaults with { BatchSize = _book.Examples + 1 }),
        "zero epochs" => (_book, _defaults with { Epochs = 0 }),
        "too many epochs" => (_book, _defaults with { Epochs = _limits.MaxEpochs + 1 }),
        "negative initStd" => (_book, _defaults with { InitStd = -1f }),
        "infinite initStd" => (_book, _defaults with { InitStd = float.PositiveInfinity }),
        "warm start too short" => (_book, _defaults with { InitialWeights = [1f] }),
        "warm start with NaN" => (_book, _defaults with { InitialWeights = [1f, float.NaN] }),
        "NaN initial bias" => (_book, _defaults with { InitialBias = float.NaN }),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown case"),
    };
}
