using System.Runtime.InteropServices;

namespace LinRegService.Training.ClosedForm;

/// <summary>
/// Linux's SCHED_IDLE for the current thread: it runs only when a core has nothing else to run,
/// so background work never takes time from a training step. .NET's Thread.Priority does nothing
/// on Linux, hence the system call. Elsewhere, or if the call fails, the thread keeps its class.
/// </summary>
internal static partial class IdleScheduling
{
    private const int SchedIdle = 5;

    /// <summary>Whether the current thread now runs at idle priority.</summary>
    public static bool TryApplyToCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            int priority = 0; // struct sched_param { int sched_priority; }, 0 for SCHED_IDLE
            return SetScheduler(GetThreadId(), SchedIdle, ref priority) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int threadId, int policy, ref int parameters);
}
