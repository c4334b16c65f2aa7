// Test classes run one after another: one of them keeps a long job on the cores, and the machine
// running the tests may have only two.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
