namespace LinRegService.Storage;

/// <summary>
/// Hears that a job changed (its status, or epoch losses appended), so event streams re-read it
/// at once instead of at their next fallback poll. Signals carry no data: the store stays the
/// source of truth, and a lost or extra signal costs a late or an empty re-read.
/// </summary>
public interface IJobChangeSink
{
    /// <summary>Job <paramref name="id"/> changed.</summary>
    void JobChanged(string id);

    /// <summary>Changes may have been missed (a notification connection was lost): every watcher should re-read.</summary>
    void ChangesMayBeMissed();
}
