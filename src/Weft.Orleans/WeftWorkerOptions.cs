using System.Reflection;
using System.Runtime.InteropServices;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>How a silo hosts Weft's workers: how many tasks run at once, whether they run in worker processes,
/// and which functions may run at all (deny by default).</summary>
/// <remarks>Python has no counterpart: Dask's <c>dask-worker --nthreads</c> is the nearest for the size; the
/// allow-list is what a Python pickle-based cluster lacks (any pickle runs any code).</remarks>
public sealed class WeftWorkerOptions
{
    private static readonly string s_runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    private readonly HashSet<Guid> _modules = [];
    private readonly HashSet<(Guid Module, int Token)> _methods = [];

    /// <summary>Gets or sets how many tasks this silo runs at once; <see langword="null"/>:
    /// <see cref="Environment.ProcessorCount"/>.</summary>
    public int? MaxLocalWorkers { get; set; }

    /// <summary>Gets or sets a value indicating whether tasks run in worker processes on the silo (a
    /// <see cref="ProcessPoolExecutor"/>), so a task that crashes its process (a stack overflow,
    /// <c>Environment.FailFast</c>, out of memory) ends a worker process, not the silo.</summary>
    public bool IsolateTasks { get; set; }

    /// <summary>Allows the static methods and non-capturing lambdas declared in <paramref name="assembly"/>.</summary>
    /// <param name="assembly">An assembly of the application; never one of .NET, Orleans or Weft.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assembly"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="assembly"/> belongs to .NET, Orleans or Weft, or is dynamic.</exception>
    public WeftWorkerOptions Allow(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        RefuseFramework(assembly, assembly.GetName().Name, nameof(assembly));
        _modules.Add(assembly.ManifestModule.ModuleVersionId);
        return this;
    }

    /// <summary>Allows the static methods and non-capturing lambdas declared in <paramref name="type"/> and its
    /// nested types.</summary>
    /// <param name="type">A type of the application; never one of .NET, Orleans or Weft.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is declared in an assembly of .NET, Orleans or Weft.</exception>
    public WeftWorkerOptions Allow(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        RefuseFramework(type.Assembly, type.FullName, nameof(type));
        AddMethods(type);
        return this;
    }

    /// <summary>For tests: a fault to inject into each task's start, as a dying gateway would (null: none).</summary>
    internal Func<TaskMessage, StartFault>? StartFaults { get; set; }

    /// <summary>For tests: when the starts that <see cref="StartFaults"/> lost are answered at last (an Orleans silo
    /// does not stop while a call is unanswered).</summary>
    internal Task StartFaultsEnd { get; set; } = Task.CompletedTask;

    /// <summary>For tests: while this returns a task (when the outage ends), executors' starts and heartbeats get no
    /// answer, as when the client's network is down; each fails when the outage ends.</summary>
    internal Func<Task?>? Outage { get; set; }

    /// <summary>The allow-list as the silo checks it.</summary>
    internal AllowList ToAllowList() => new(new HashSet<Guid>(_modules), new HashSet<(Guid Module, int Token)>(_methods));

    /// <summary>A framework method (<c>File.ReadAllText</c>, <c>Assembly.Load</c>, <c>Process.Start</c>) would let
    /// anyone who reaches a gateway run anything, so no assembly of .NET, Orleans or Weft can be allowed.</summary>
    private static void RefuseFramework(Assembly assembly, string? what, string paramName)
    {
        var name = assembly.GetName().Name ?? string.Empty;
        var framework = assembly.IsDynamic
            || assembly == typeof(object).Assembly
            || assembly == typeof(Executor).Assembly
            || assembly == typeof(WeftWorkerOptions).Assembly
            || name is "System" or "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name.StartsWith("Orleans.", StringComparison.Ordinal)
            || (assembly.Location.Length > 0 && string.Equals(
                Path.GetDirectoryName(assembly.Location)?.TrimEnd(Path.DirectorySeparatorChar),
                s_runtimeDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal));
        if (framework)
        {
            throw new ArgumentException(
                $"{what} belongs to {name}, an assembly of .NET, Orleans or Weft (or a dynamic one): its methods cannot be allowed " +
                "to run on a silo, since anyone who reaches the cluster could then call them. Allow your own types or assemblies.",
                paramName);
        }
    }

    /// <summary>Every method declared in the type and its nested types (where the compiler puts lambdas).</summary>
    private void AddMethods(Type type)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var module = type.Module.ModuleVersionId;
        foreach (var method in type.GetMethods(Declared))
        {
            _methods.Add((module, method.MetadataToken));
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            AddMethods(nested);
        }
    }
}
