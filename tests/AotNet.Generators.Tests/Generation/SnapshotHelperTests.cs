using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Generation;

/// <summary>The snapshot helper itself: it must fail on a change, write the received file and say where.</summary>
public sealed class SnapshotHelperTests : IDisposable
{
    readonly string _directory = Path.Combine(Path.GetTempPath(), "aotnet-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void FileNameFollowsVerifyConvention() =>
        Assert.Equal("SnapshotTests.Mlp#Models.Mlp.Loss.g", Snapshot.FileName("SnapshotTests", "Mlp", "Models.Mlp.Loss.g.cs"));

    [Fact]
    public void MissingVerifiedFileFailsAndWritesReceived()
    {
        string? message = Snapshot.Compare(_directory, "A.B#c", "text\n", accept: false);
        Assert.NotNull(message);
        Assert.Contains("No verified snapshot", message, StringComparison.Ordinal);
        Assert.Equal("text\n", File.ReadAllText(Path.Combine(_directory, "A.B#c.received.cs")));
    }

    [Fact]
    public void MismatchFailsWithLineNumbersAndWritesReceived()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "A.B#c.verified.cs"), "one\ntwo\nthree\n");
        string? message = Snapshot.Compare(_directory, "A.B#c", "one\nTWO\nthree\n", accept: false);
        Assert.NotNull(message);
        Assert.Contains("First difference at line 2", message, StringComparison.Ordinal);
        Assert.Contains("-     2: two", message, StringComparison.Ordinal);
        Assert.Contains("+     2: TWO", message, StringComparison.Ordinal);
        Assert.Equal("one\nTWO\nthree\n", File.ReadAllText(Path.Combine(_directory, "A.B#c.received.cs")));
    }

    [Fact]
    public void MatchPassesAndRemovesStaleReceived()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "A.B#c.verified.cs"), "same\r\n");
        File.WriteAllText(Path.Combine(_directory, "A.B#c.received.cs"), "old");
        Assert.Null(Snapshot.Compare(_directory, "A.B#c", "same\n", accept: false));
        Assert.False(File.Exists(Path.Combine(_directory, "A.B#c.received.cs")));
    }

    [Fact]
    public void AcceptOverwritesVerifiedAndDeletesReceived()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "A.B#c.verified.cs"), "old\n");
        File.WriteAllText(Path.Combine(_directory, "A.B#c.received.cs"), "new\n");
        Assert.Null(Snapshot.Compare(_directory, "A.B#c", "new\n", accept: true));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(_directory, "A.B#c.verified.cs")));
        Assert.False(File.Exists(Path.Combine(_directory, "A.B#c.received.cs")));
    }

    [Fact]
    public void DiffSkipsCommonLinesAndCapsLongRegions()
    {
        string expected = string.Join("\n", Enumerable.Range(0, 40).Select(i => "line " + i));
        string actual = string.Join("\n", Enumerable.Range(0, 40).Select(i => i >= 10 && i < 30 ? "changed " + i : "line " + i));
        string diff = LineDiff.Describe(expected, actual, maxLines: 5);
        Assert.StartsWith("First difference at line 11", diff, StringComparison.Ordinal);
        Assert.Contains("+    11: changed 10", diff, StringComparison.Ordinal);
        Assert.Contains("... 15 more line(s)", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("line 9", diff, StringComparison.Ordinal);
    }
}
