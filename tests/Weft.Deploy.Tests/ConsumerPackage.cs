using System.Globalization;
using System.Runtime.InteropServices;

namespace Weft.Deploy.Tests;

/// <summary>
/// Weft packed to a temporary feed under a version no other run uses (so the machine's package cache cannot
/// hand back an older build), and a consumer app that references that package. Shared by every publish test.
/// </summary>
public sealed class ConsumerPackage : IDisposable
{
    private static readonly TimeSpan s_packDeadline = TimeSpan.FromMinutes(5);

    public ConsumerPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("weft-deploy-").FullName;
        Version = $"0.0.0-deploytest.{DateTime.UtcNow:yyyyMMddHHmmssfff}.{Environment.ProcessId}";
        Feed = Path.Combine(Root, "feed");
        AppDirectory = Path.Combine(Root, "app");
        Directory.CreateDirectory(AppDirectory);

        var pack = DotnetCli.Run("dotnet",
            ["pack", Path.Combine(RepositoryRoot, "src", "Weft", "Weft.csproj"), "-c", "Release", "-o", Feed,
             $"-p:Version={Version}", "-p:IncludeSymbols=false"],
            RepositoryRoot, s_packDeadline);
        Assert.True(pack.ExitCode == 0, $"dotnet pack Weft failed: {pack.Describe()}");

        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.Copy(Path.Combine(template, "Program.cs"), Path.Combine(AppDirectory, "Program.cs"));
        File.WriteAllText(Path.Combine(AppDirectory, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(template, "Consumer.csproj.in")).Replace("$WEFT_VERSION$", Version, StringComparison.Ordinal));

        // The temporary folder is outside the repository, so none of its Directory.*.props apply: the app is
        // built as a user's would be. The feed comes first; everything else from the machine's own sources.
        File.WriteAllText(Path.Combine(AppDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="weft-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    public string Version { get; }

    public string Feed { get; }

    public string AppDirectory { get; }

    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    /// <summary>The package size, for the report.</summary>
    public long PackageBytes => new FileInfo(Path.Combine(Feed, $"Weft.{Version}.nupkg")).Length;

    /// <summary>Publishes the consumer with <paramref name="properties"/> into its own folder and returns the executable.</summary>
    public string Publish(string mode, params string[] arguments)
    {
        // A copy of the app per mode: each build keeps its own obj folder, which the others never glob.
        var source = Path.Combine(Root, "build", mode);
        Directory.CreateDirectory(source);
        foreach (var file in Directory.GetFiles(AppDirectory))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        var output = Path.Combine(Root, "publish", mode);
        var publish = DotnetCli.Run("dotnet", ["publish", "-c", "Release", "-o", output, .. arguments], source, s_packDeadline);
        Assert.True(publish.ExitCode == 0, $"dotnet publish ({mode}) failed: {publish.Describe()}");
        var executable = Path.Combine(output, OperatingSystem.IsWindows() ? "Consumer.exe" : "Consumer");
        Assert.True(File.Exists(executable), $"The {mode} publish has no {executable}.");
        return executable;
    }

    public void Dispose()
    {
        // The package went into the machine's global package folder under this run's unique version: remove it.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(cache, "weft", Version.ToLower(CultureInfo.InvariantCulture)));
        TryDelete(Root);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Weft.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Weft.slnx above {AppContext.BaseDirectory}.");
    }
}
