using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>A partial module without [Differentiable] methods, one that only holds layers, still gets its VisitMembers.</summary>
public class HolderModuleTests
{
    [Fact]
    public void AModuleThatOnlyHoldsLayersListsThemAndTrains()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Wrap : Module
            {
                internal readonly Linear fc = new(4, 2, rng: new Rng(3));
                internal readonly Linear? unused = null;
            }

            public sealed partial class Outer : Module
            {
                readonly Wrap w = new();

                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(w.fc.Forward(x), y);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Outer");
        Assert.Equal(["w.fc.weight", "w.fc.bias"], model.NamedParameters().Select(p => p.Key));
        var x = new Tensor(Enumerable.Range(0, 12).Select(i => 0.2f * i - 1f).ToArray(), 3, 4);
        var y = new Labels([1, 0, 1]);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
        Assert.Contains(model.NamedParameters()[0].Value.Grad.Span.ToArray(), g => g != 0);
    }
}
