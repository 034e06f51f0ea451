using AotNet.Generators.Ops;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>docs/ops.md carries the op table as the table renders it; a new or changed entry fails here until the page is regenerated.</summary>
public class OpReferenceDocTests
{
    [Fact]
    public void OpsPageListsEveryEntryOfTheTable()
    {
        string path = Path.Combine(RepoPaths.RepoRoot, "docs", "ops.md");
        string page = File.ReadAllText(path).Replace("\r\n", "\n");
        int begin = page.IndexOf(OpReference.Begin, StringComparison.Ordinal);
        int end = page.IndexOf(OpReference.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/ops.md has lost its op-table markers");
        string current = page.Substring(begin, end + OpReference.End.Length + 1 - begin);
        string expected = OpReference.Markdown();
        if (current != expected && Snapshot.Accepting)
        {
            File.WriteAllText(path, page.Replace(current, expected));
            return;
        }
        Assert.Equal(expected, current);
        Assert.All(OpTable.All, op => Assert.Contains($"| `{op.Name}` |", page));
    }
}
