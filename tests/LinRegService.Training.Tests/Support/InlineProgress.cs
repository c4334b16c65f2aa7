using LinRegService.Training.Sgd;

namespace LinRegService.Training.Tests.Support;

/// <summary>Progress&lt;T&gt; posts to the thread pool; this reports inline, so a list is complete when training returns.</summary>
internal sealed class InlineProgress(Action<EpochLoss> report) : IProgress<EpochLoss>
{
    public void Report(EpochLoss value) => report(value);
}
