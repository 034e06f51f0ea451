using System.Runtime.CompilerServices;

namespace AotNet.Generators.Tests.Support;

/// <summary>Folders of the source tree, found from this file's path or from the test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The test project's source folder (the one holding its .csproj).</summary>
    public static string ProjectDirectory { get; } = FindProjectDirectory();

    /// <summary>The repository root: the first folder above the test assembly that holds AotNet.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    static string FindProjectDirectory([CallerFilePath] string thisFile = "")
    {
        for (var dir = Path.GetDirectoryName(thisFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "AotNet.Generators.Tests.csproj")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException($"No AotNet.Generators.Tests.csproj above {thisFile}.");
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AotNet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No AotNet.sln above {AppContext.BaseDirectory}.");
    }
}
