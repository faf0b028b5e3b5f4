using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>
/// How to start a worker: <c>dotnet exec --runtimeconfig app.runtimeconfig.json --depsfile app.deps.json
/// Weft.Worker.dll</c>, with the running application's own files, so the worker resolves the user's assembly
/// and everything it references exactly as the application does. Works for an ordinary app, an app started
/// through its apphost, and the test host (whose deps file is the test project's).
/// </summary>
/// <remarks>The worker's stdout and stderr are the parent's own (inherited), its stdin is empty: frames travel on the
/// channel that <see cref="WorkerChannel.Start"/> adds and names in <see cref="WorkerChannel.Variable"/>, which is all
/// a process needs to become a worker.</remarks>
internal static partial class WorkerLaunch
{
    private const string WorkerFileName = "Weft.Worker.dll";

    /// <summary>Names <see cref="WorkerHost.Run(string[])"/> by metadata token for Weft.Worker.dll, which then finds it
    /// without a lookup by name (see its Program.cs).</summary>
    private const string EntryVariable = "WEFT_WORKER_ENTRY";

    private static readonly Lazy<(string Host, string[] Arguments)> s_command = new(Find);

    /// <summary>Null in Native AOT, which keeps no metadata tokens (and starts itself, not Weft.Worker.dll).</summary>
    private static readonly Lazy<string?> s_entryToken = new(static () => NativeFunction.IsNative
        ? null
        : new Func<string[], int>(WorkerHost.Run).Method.MetadataToken.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static ProcessStartInfo CreateStartInfo()
    {
        var (host, arguments) = s_command.Value;
        var info = new ProcessStartInfo(host)
        {
            // stdout and stderr are inherited (the user's console); stdin is a pipe the pool closes at once, so a
            // task that reads stdin sees its end instead of competing with the parent (CPython gives /dev/null).
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Workers exist for CPU-bound work: compile methods with loops optimized at once instead of
        // running them first as unoptimized tier-0 code, which a short-lived task would never leave.
        // A setting the user made in the environment wins.
        info.Environment.TryAdd("DOTNET_TC_QuickJitForLoops", "0");
        if (s_entryToken.Value is { } entryToken)
        {
            info.Environment[EntryVariable] = entryToken;
        }

        return info;
    }

    private static (string Host, string[] Arguments) Find()
    {
        if (TryUseSelf(out var self))
        {
            return self;
        }

        var worker = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(AssemblyLocation()) ?? string.Empty }
            .Select(d => Path.Combine(d, WorkerFileName))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"{WorkerFileName} is not next to the application ({AppContext.BaseDirectory}). It is copied there by any " +
                "project that references Weft; a single-file or trimmed publish must include it.", WorkerFileName);

        var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?
            .Split([';', Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => p.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && File.Exists(p));
        var runtimeConfig = deps is null ? null : string.Concat(deps.AsSpan(0, deps.Length - ".deps.json".Length), ".runtimeconfig.json");
        if (runtimeConfig is null || !File.Exists(runtimeConfig))
        {
            var entry = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
            runtimeConfig = entry is null ? null : Path.Combine(AppContext.BaseDirectory, entry + ".runtimeconfig.json");
            deps = entry is null ? null : Path.Combine(AppContext.BaseDirectory, entry + ".deps.json");
        }

        if (runtimeConfig is null || !File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException(
                "Cannot find the application's runtimeconfig.json, which a worker process needs to start the same runtime.",
                runtimeConfig);
        }

        var arguments = new List<string> { "exec", "--runtimeconfig", runtimeConfig };
        if (deps is not null && File.Exists(deps))
        {
            arguments.AddRange(["--depsfile", deps]);
        }

        arguments.Add(worker);
        return (FindDotnet(), [.. arguments]);
    }

    /// <summary>The dotnet muxer: this process if it is one, else the one that owns the running runtime.</summary>
    private static string FindDotnet()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var candidate = Path.Combine(root, exe);
        if (File.Exists(candidate))
        {
            return candidate;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } hostPath && File.Exists(hostPath) ? hostPath : exe;
    }
}
