using Weft.Processes;

namespace Weft;

/// <summary>Workers in every deployment: an app that cannot start Weft.Worker.dll is its own worker.</summary>
public sealed partial class ProcessPoolExecutor
{
    private static volatile bool s_freezeSupportCalled;

    /// <summary>Gets a value indicating whether this process called <see cref="FreezeSupport"/> (it may then be started as its own worker).</summary>
    internal static bool FreezeSupportCalled => s_freezeSupportCalled;

    /// <summary>
    /// Call first thing in <c>Main</c>. In a process that a <see cref="ProcessPoolExecutor"/> started as its worker,
    /// runs the worker and never returns; in any other process, returns at once.
    /// </summary>
    /// <remarks>
    /// <para>Python: <c>multiprocessing.freeze_support()</c>.</para>
    /// <para>A framework-dependent app need not call it: its workers are <c>Weft.Worker.dll</c>, copied next to the app.
    /// A single-file, self-contained or Native AOT app has no usable <c>Weft.Worker.dll</c> (or no shared <c>dotnet</c>
    /// to run it), so the pool starts the app's own executable (<see cref="Environment.ProcessPath"/>) as the worker,
    /// and this call is where that process turns into one. Such an app that does not call it gets an
    /// <see cref="InvalidOperationException"/> from its first <c>Submit</c> or <c>Map</c>, naming this line.
    /// Code before this call runs in every worker too, so nothing should come before it.</para>
    /// </remarks>
    public static void FreezeSupport()
    {
        s_freezeSupportCalled = true;
        if (WorkerHost.TryRunFromEnvironment(out var exitCode))
        {
            Environment.Exit(exitCode);
        }
    }
}
