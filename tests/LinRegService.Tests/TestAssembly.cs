// Test classes run one after another: several of them hold a long job that uses both cores, and
// the bounds on how soon a canceled job stops hold best without a neighbour competing for them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
