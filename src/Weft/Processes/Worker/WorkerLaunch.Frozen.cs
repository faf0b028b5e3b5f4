using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>The second way to start a worker: the app's own executable, which turns into a worker in
/// <see cref="ProcessPoolExecutor.FreezeSupport"/> (Python's frozen executables do the same).</summary>
internal static partial class WorkerLaunch
{
    /// <summary>The one sentence a user sees when the app must be its own worker and does not say so.</summary>
    internal const string FreezeSupportAdvice =
        "This app is published {0}, so its process pool runs the app itself as the worker: add " +
        "'ProcessPoolExecutor.FreezeSupport();' as the first line of Main.";

    /// <summary>Checks, on the submitting thread, that a worker can be started, so a missing piece fails the
    /// <c>Submit</c> that needs it with its own message rather than breaking the pool later.</summary>
    /// <exception cref="InvalidOperationException">The app must be its own worker and did not call FreezeSupport.</exception>
    /// <exception cref="FileNotFoundException">A framework-dependent app's Weft.Worker.dll or runtimeconfig.json is missing.</exception>
    public static void EnsureCanStart() => _ = s_command.Value;

    /// <summary>How this app is deployed when it cannot run Weft.Worker.dll, for the message; null when it can.</summary>
    internal static string? SelfWorkerReason()
    {
        if (NativeFunction.IsNative)
        {
            return "as Native AOT";
        }

        if (IsSingleFile())
        {
            return "as a single file";
        }

        return IsSelfContained() ? "self-contained" : null;
    }

    /// <summary>The app's own executable as the worker, when the app cannot run Weft.Worker.dll.</summary>
    /// <returns>False for a framework-dependent app (the usual dotnet exec of Weft.Worker.dll).</returns>
    private static bool TryUseSelf(out (string Host, string[] Arguments) command)
    {
        command = default;
        var reason = SelfWorkerReason();
        if (reason is null)
        {
            return false;
        }

        if (!ProcessPoolExecutor.FreezeSupportCalled || Environment.ProcessPath is not { } self)
        {
            throw new InvalidOperationException(string.Format(System.Globalization.CultureInfo.InvariantCulture, FreezeSupportAdvice, reason));
        }

        command = (self, []);
        return true;
    }

    /// <summary>An assembly loaded from a single-file bundle has no location: that emptiness is the test.</summary>
    private static bool IsSingleFile() => string.IsNullOrEmpty(AssemblyLocation());

    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
        Justification = "An empty location is how a single-file bundle is recognised (IsSingleFile); only an app that is not one looks for Weft.Worker.dll beside Weft.dll.")]
    private static string AssemblyLocation() => typeof(WorkerLaunch).Assembly.Location;

    /// <summary>The runtime lives in the app's own folder: there may be no shared dotnet to run Weft.Worker.dll with.</summary>
    private static bool IsSelfContained()
    {
        static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var comparison = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return string.Equals(Normalize(RuntimeEnvironment.GetRuntimeDirectory()), Normalize(AppContext.BaseDirectory), comparison);
    }
}
