using LinRegService.Training.Data;
using LinRegService.Training.Runs;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;
using LinRegService.Training.Validation;

namespace LinRegService.Training.Tests.Data;

/// <summary>A generated run's rows are kept for the next run of the same shape, which then gives the same bits.</summary>
[Collection(LargeData.Name)] // the pool is process-wide: nothing else may trim it meanwhile
public class DatasetMemoryTests
{
    [Fact]
    public void Returned_arrays_are_handed_to_the_next_request_of_their_shape_only()
    {
        // A shape no other test uses (the pool is shared by the whole process).
        (float[] features, float[] labels) = DatasetMemory.Rent(70_001, 5);
        DatasetMemory.Return(new Dataset(features, labels, 5));

        (float[] otherShape, _) = DatasetMemory.Rent(70_001, 6);
        (float[] again, float[] againLabels) = DatasetMemory.Rent(70_001, 5);

        Assert.NotSame(features, otherShape);
        Assert.Same(features, again);
        Assert.Same(labels, againLabels);
    }

    [Fact]
    public void Small_arrays_are_left_to_the_garbage_collector()
    {
        (float[] features, float[] labels) = DatasetMemory.Rent(1_001, 3);
        DatasetMemory.Return(new Dataset(features, labels, 3));

        (float[] again, _) = DatasetMemory.Rent(1_001, 3);

        Assert.NotSame(features, again);
    }

    [Fact]
    public void A_run_on_reused_rows_gives_the_same_bits_as_the_first()
    {
        var spec = new DatasetSpec([1f, -2f, 0.5f, 3f], 0.25f, 90_001, 0.1f, 1f, Seed: 8);
        var training = new TrainingOptions { Seed = 2, Epochs = 2, BatchSize = 64, LearningRate = 0.02f };

        RunResult first = LinearRegressionRun.Execute(spec, training, new TrainingLimits());
        RunResult second = LinearRegressionRun.Execute(spec, training, new TrainingLimits());

        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.EpochLosses, second.EpochLosses);
        Assert.Equal(first.ClosedForm!.Weights, second.ClosedForm!.Weights);
    }

    [Fact]
    public void Releasing_the_cache_lets_go_of_kept_rows()
    {
        (float[] features, float[] labels) = DatasetMemory.Rent(70_003, 5);
        DatasetMemory.Return(new Dataset(features, labels, 5));
        Assert.True(TrainingMemory.CachedBytes >= 70_003L * 6 * sizeof(float));

        TrainingMemory.ReleaseCached();
        (float[] again, _) = DatasetMemory.Rent(70_003, 5);

        Assert.NotSame(features, again);
    }
}
