using System.Runtime.InteropServices;
using LinRegService.Training.Data;
using LinRegService.Training.Kernels;
using LinRegService.Training.Sgd;
using LinRegService.Training.Tests.Support;

namespace LinRegService.Training.Tests.Sgd;

/// <summary>
/// The per-row hot path allocates nothing: a garbage collection per minibatch would cost more
/// than the arithmetic. Counted with the current thread's allocation counter, which other tests
/// running in parallel do not touch.
/// </summary>
public class StepAllocationTests
{
    [Theory]
    [InlineData(2, 10)]
    [InlineData(17, 7)]
    [InlineData(256, 32)]
    public void Feed_and_FinishEpoch_allocate_nothing_with_the_vector_kernel(int features, int batch) =>
        AssertNoAllocation<VectorStepKernel>(features, batch);

    [Theory]
    [InlineData(2, 10)]
    [InlineData(17, 7)]
    public void Feed_and_FinishEpoch_allocate_nothing_with_the_scalar_kernel(int features, int batch) =>
        AssertNoAllocation<ScalarStepKernel>(features, batch);

    private static void AssertNoAllocation<TKernel>(int features, int batch)
        where TKernel : IStepKernel
    {
        const int Examples = 100; // not a multiple of the batches: FinishEpoch has a partial batch to apply
        Dataset data = DatasetGenerator.Generate(new DatasetSpec(new float[features], 1f, Examples, 0.1f, 0.1f, Seed: 1));
        float[] packed = Packing.Pack(data);
        int[] order = Packing.Shuffled(Examples, seed: 2);
        var warmUp = new MinibatchStepper<TKernel, SquaredLoss>(new float[features], 0f, batch, 0.01f);
        var measured = new MinibatchStepper<TKernel, SquaredLoss>(new float[features], 0f, batch, 0.01f);

        // Warm up past tiered compilation (and on-stack replacement) so the JIT's own work is done.
        for (int i = 0; i < 50; i++)
        {
            Epoch(warmUp, packed, order);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Epoch(measured, packed, order);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0f, measured.Bias); // the measured loop really trained (the labels' mean is 1)
    }

    private static void Epoch<TKernel>(MinibatchStepper<TKernel, SquaredLoss> stepper, float[] packed, int[] order)
        where TKernel : IStepKernel
    {
        stepper.Feed(ref MemoryMarshal.GetArrayDataReference(packed), order, 0);
        stepper.FinishEpoch();
    }
}
