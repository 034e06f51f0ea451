using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Support;

/// <summary>
/// A small snapshot helper with Verify's conventions: <c>Snapshots/{Class}.{Test}#{HintName}.verified.cs</c>
/// in the test project's source folder; on a mismatch a <c>.received.cs</c> file is written next
/// to it and the test fails with a line diff. <c>AOTNET_ACCEPT_SNAPSHOTS=1</c> accepts the new
/// text instead, unless <c>CI</c> is set.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "AOTNET_ACCEPT_SNAPSHOTS";

    public static string Directory => Path.Combine(RepoPaths.ProjectDirectory, "Snapshots");

    /// <summary>Whether this run accepts new snapshots: the accept variable is 1 and CI is not set.</summary>
    public static bool Accepting =>
        Environment.GetEnvironmentVariable(AcceptVariable) == "1"
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Checks one generated file against its verified snapshot.</summary>
    public static void Verify(string text, string hintName, [CallerFilePath] string testFile = "", [CallerMemberName] string test = "")
    {
        string name = FileName(Path.GetFileNameWithoutExtension(testFile), test, hintName);
        var outcome = Compare(Directory, name, text, Accepting);
        if (outcome is not null)
        {
            throw new XunitException(outcome);
        }
    }

    /// <summary><c>{Class}.{Test}#{HintName}</c>, without the hint name's <c>.cs</c>.</summary>
    public static string FileName(string testClass, string test, string hintName)
    {
        string hint = hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;
        return $"{testClass}.{test}#{hint}";
    }

    /// <summary>
    /// Compares <paramref name="text"/> with <c>{name}.verified.cs</c> in <paramref name="directory"/>.
    /// Returns null when they match (or when accepting), else the failure message; writes or deletes
    /// the received file to match.
    /// </summary>
    public static string? Compare(string directory, string name, string text, bool accept)
    {
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        string actual = Normalize(text);
        if (accept)
        {
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return null;
        }
        if (!File.Exists(verified))
        {
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual);
            return $"No verified snapshot {verified}. The output was written to {received}; review it and rename it to .verified.cs, " +
                $"or rerun with {AcceptVariable}=1.";
        }
        string expected = Normalize(File.ReadAllText(verified));
        if (expected == actual)
        {
            File.Delete(received);
            return null;
        }
        File.WriteAllText(received, actual);
        return $"Snapshot {name} differs from {verified}; the new output is in {received} (accept it with {AcceptVariable}=1).\n"
            + LineDiff.Describe(expected, actual);
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}

/// <summary>Checks every file of a generator run at once, so one run reports all stale snapshots.</summary>
public static class Snapshots
{
    public static void VerifyAll(IReadOnlyDictionary<string, string> files, [CallerFilePath] string testFile = "", [CallerMemberName] string test = "")
    {
        Assert.NotEmpty(files);
        string testClass = Path.GetFileNameWithoutExtension(testFile);
        var failures = files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => Snapshot.Compare(Snapshot.Directory, Snapshot.FileName(testClass, test, f.Key), f.Value, Snapshot.Accepting))
            .Where(message => message is not null)
            .ToList();
        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("\n", failures));
        }
    }
}
