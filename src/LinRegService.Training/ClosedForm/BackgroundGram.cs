namespace LinRegService.Training.ClosedForm;

/// <summary>
/// Sums the closed form's Gram matrix on a thread of its own while training runs. Training is one
/// thread of sequential steps (the other core only scatters the next epoch ahead), so the second
/// core has time to spare; the thread asks the kernel to run it only on an otherwise idle core
/// (<see cref="IdleScheduling"/>) so it never slows a step. Whatever is left when training ends
/// is shared with the caller's thread (<see cref="Complete"/>).
/// </summary>
internal sealed class BackgroundGram : IDisposable
{
    /// <summary>Below this many multiply-adds a thread of its own costs more than it saves.</summary>
    public const long MinWork = 1L << 26;

    private readonly GramSums _sums;
    private readonly CancellationTokenSource _stop;
    private readonly Thread _thread;
    private Exception? _failure;

    private BackgroundGram(GramSums sums, CancellationToken cancellationToken)
    {
        _sums = sums;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _thread = new Thread(Run) { IsBackground = true, Name = "closed form" };
        _thread.Start();
    }

    /// <summary>Starts summing <paramref name="sums"/> in the background.</summary>
    public static BackgroundGram Start(GramSums sums, CancellationToken cancellationToken) => new(sums, cancellationToken);

    /// <summary>Helps with the partitions still untaken, waits for the background thread, and returns the sums.</summary>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public GramSums Complete(CancellationToken cancellationToken)
    {
        _sums.Help(cancellationToken);
        _thread.Join();
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return _sums;
    }

    /// <summary>Stops the background thread (training failed or was canceled) and waits for it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        IdleScheduling.TryApplyToCurrentThread();
        try
        {
            _sums.Help(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped: the run that wanted the sums has ended, or Complete will see the caller's token
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }
}
