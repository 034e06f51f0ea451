using AotNet.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Tests.Ops;

/// <summary>Every eager op against PyTorch 1.13 on the fixed inputs of tests/fixtures/make_fixtures.py.</summary>
public class EagerOpsPyTorchTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string op in EagerOps.ByName.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var testCase in OpFixture.Load(op).Cases)
            {
                data.Add(op, testCase.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputMatchesPyTorch(string op, string caseName)
    {
        var testCase = OpFixture.Load(op).Cases.Single(c => c.Name == caseName);
        var actual = EagerOps.Run(op, testCase);
        double worst = Close.Assert(testCase.Output, actual, Tolerance, $"{op}/{caseName}");
        output.WriteLine($"{op}/{caseName}: largest scaled deviation {worst:E2}");
    }

    [Fact]
    public void EveryFixtureFileHasCases()
    {
        foreach (string op in EagerOps.ByName.Keys)
        {
            var fixture = OpFixture.Load(op);
            Assert.Equal(op, fixture.Op);
            Assert.NotEmpty(fixture.Cases);
        }
    }
}
