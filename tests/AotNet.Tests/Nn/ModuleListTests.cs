namespace AotNet.Tests.Nn;

public class ModuleListTests
{
    sealed class Pair(Linear first, Linear second) : Module
    {
        public override void VisitMembers(IModuleVisitor visitor)
        {
            visitor.Module("first", first);
            visitor.Module("second", second);
        }
    }

    [Fact]
    public void ElementsAreNamedByIndexAsPyTorchNamesThem()
    {
        var list = new ModuleList<Linear>(3, i => new Linear(2, i + 1, bias: i != 1));
        Assert.Equal(3, list.Count);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "2.weight", "2.bias"], list.NamedParameters().Select(p => p.Key));
        Assert.Equal(2, list[1].OutFeatures);
    }

    [Fact]
    public void AParameterReachedTwiceIsListedOnceUnderItsFirstName()
    {
        var shared = new Linear(2, 2);
        var model = new Pair(shared, shared);
        Assert.Equal(["first.weight", "first.bias"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal(2, model.Parameters().Count);
        Assert.Equal(2, new ModuleList<Linear>([shared, shared]).Parameters().Count);
    }

    [Fact]
    public void ANullElementIsRefusedNamingItsIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModuleList<Linear>([new Linear(1, 1), null!]));
        Assert.Contains("Element 1", error.Message);
        Assert.Equal("modules", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModuleList<Linear>(-1, _ => new Linear(1, 1)));
    }

    [Fact]
    public void ModuleArraysAreVisitedWithIndexedNames()
    {
        var names = new List<string>();
        ModuleArrays.Visit(new NameRecorder(names), "blocks", [new Linear(1, 1), new Linear(1, 1)]);
        Assert.Equal(["blocks.0", "blocks.1"], names);
        Assert.Throws<InvalidOperationException>(() => ModuleArrays.Visit(new NameRecorder(names), "blocks", new Linear[] { null! }));
    }

    sealed class NameRecorder(List<string> names) : IModuleVisitor
    {
        public void Parameter(string name, Parameter parameter) => names.Add(name);

        public void Module(string name, Module module) => names.Add(name);
    }
}
