// One browser at a time: Chromium and a training job compete for the machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
