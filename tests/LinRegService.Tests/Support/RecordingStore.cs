using System.Collections.Concurrent;
using System.Reflection;
using LinRegService.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Tests.Support;

/// <summary>
/// The host's real job store behind a proxy that records every call with its first argument (a
/// job's id for reads), so a test can tell which reads a feature makes. A <see cref="DispatchProxy"/>,
/// so it needs no change when the store gains a method.
/// </summary>
public class RecordingStore : DispatchProxy
{
    private IJobStore _inner = null!;

    public ConcurrentQueue<(string Method, object? FirstArgument)> Calls { get; } = new();

    /// <summary>Replaces the host's <see cref="IJobStore"/> with a recording proxy; <paramref name="created"/> gets the proxy once it is built.</summary>
    public static void Install(IServiceCollection services, Action<RecordingStore> created)
    {
        ServiceDescriptor original = services.Last(d => d.ServiceType == typeof(IJobStore));
        Func<IServiceProvider, object> build = original.ImplementationFactory ?? throw new InvalidOperationException("the store is not built by a factory");
        services.Remove(original);
        services.AddSingleton(sp => new InnerStore((IJobStore)build(sp)));
        services.AddSingleton<IJobStore>(sp =>
        {
            IJobStore proxy = Create<IJobStore, RecordingStore>();
            var recorder = (RecordingStore)(object)proxy;
            recorder._inner = sp.GetRequiredService<InnerStore>().Store;
            created(recorder);
            return proxy;
        });
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue((targetMethod.Name, args is { Length: > 0 } ? args[0] : null));
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException error) when (error.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Holds the real store, so the container disposes it (and its connections) with the host.</summary>
    private sealed class InnerStore(IJobStore store) : IAsyncDisposable
    {
        public IJobStore Store => store;

        public ValueTask DisposeAsync() => store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }
}
