using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>A language model's loss as PyTorch users write it: cross_entropy(logits.view(-1, V), y.view(-1)).</summary>
public class LabelViewTests
{
    [Fact]
    public void FlattenedLogitsAndLabelsGiveTheLossOfTheSequenceForm()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Lm : Module
            {
                readonly Embedding emb = new(7, 4, rng: new Rng(2));
                readonly Linear head = new(4, 7, rng: new Rng(3));

                [Differentiable]
                public Tensor Loss([Shape("B", "T")] Labels tokens, [Shape("B", "T")] Labels y) =>
                    CrossEntropy(head.Forward(emb.Forward(tokens)).View(-1, 7), y.View(-1));

                [Differentiable]
                public Tensor SequenceLoss([Shape("B", "T")] Labels tokens, [Shape("B", "T")] Labels y) =>
                    CrossEntropy(head.Forward(emb.Forward(tokens)).Permute(0, 2, 1), y);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Lm");
        var tokens = new Labels([1, 4, 0, 6, 2, 2], [2, 3]);
        var y = new Labels([4, 0, 6, 2, 2, 5], [2, 3]);
        float flat = (float)InMemoryModels.Call(model, "LossStep", tokens, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", tokens, y)!)[0], flat, 5);
        Assert.Equal((float)InMemoryModels.Call(model, "SequenceLossStep", tokens, y)!, flat, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", tokens, y)!)[0], () => InMemoryModels.Call(model, "LossStep", tokens, y), targets);
        Assert.Equal([6], y.View(-1).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => y.Reshape(4, 2));
    }
}
