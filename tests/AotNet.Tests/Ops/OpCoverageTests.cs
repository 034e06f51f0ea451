using System.Reflection;
using AotNet.Tests.Support;

namespace AotNet.Tests.Ops;

/// <summary>Fails when a public op of <see cref="F"/> is added without PyTorch fixtures and a test invoker.</summary>
public class OpCoverageTests
{
    static IEnumerable<string> PublicOps() =>
        typeof(F).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal);

    [Fact]
    public void EveryPublicOpHasAFixtureFile()
    {
        var missing = PublicOps().Where(op => !OpFixture.Exists(op)).ToList();
        Assert.True(missing.Count == 0,
            $"No PyTorch fixture for {string.Join(", ", missing)}; add the op to tests/fixtures/make_fixtures.py and rerun it.");
    }

    [Fact]
    public void EveryPublicOpHasAnInvoker()
    {
        var missing = PublicOps().Where(op => !EagerOps.ByName.ContainsKey(op)).ToList();
        Assert.True(missing.Count == 0, $"EagerOps.ByName lacks {string.Join(", ", missing)}.");
    }

    [Fact]
    public void EveryInvokerNamesARealOp()
    {
        var stale = EagerOps.ByName.Keys.Except(PublicOps()).ToList();
        Assert.True(stale.Count == 0, $"EagerOps.ByName has ops F no longer has: {string.Join(", ", stale)}.");
    }
}
