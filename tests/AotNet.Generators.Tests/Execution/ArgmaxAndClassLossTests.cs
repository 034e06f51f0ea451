using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// Argmax in generated code (labels as results: alone, or beside the loss in a step's tuple), and
/// the class losses over [N, C, d1, …] and against class probabilities with symbolic shapes,
/// including the run-time checks on bad labels and targets.
/// </summary>
public class ArgmaxAndClassLossTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            internal readonly Linear fc = new(3, 4, rng: new Rng(5));

            [Differentiable]
            public Labels Predict([Shape("N", 3)] Tensor x) => Argmax(fc.Forward(x), 1);

            [Differentiable]
            public (Tensor Loss, Labels Predictions) Train([Shape("N", 3)] Tensor x, [Shape("N")] Labels y)
            {
                var logits = fc.Forward(x);
                return (CrossEntropy(logits, y), Argmax(logits, -1));
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(fc.Forward(x), y);

            [Differentiable]
            public (Tensor Loss, Labels Predictions) Pixels([RequiresGrad, Shape("N", 4, "H")] Tensor x, [Shape("N", "H")] Labels y, [Shape(4)] Tensor w) =>
                (CrossEntropy(x, y, w, ignoreIndex: 2, labelSmoothing: 0.1f), Argmax(x, 1));

            [Differentiable]
            public Tensor PixelsNll([RequiresGrad, Shape("N", 4, "H")] Tensor x, [Shape("N", "H")] Labels y) => NllLoss(LogSoftmax(x, 1), y, reduction: "sum");

            [Differentiable]
            public Tensor Soft([RequiresGrad, Shape("N", 4, "H")] Tensor x, [Shape("N", 4, "H")] Tensor t) => Sum(CrossEntropy(x, t, reduction: "none", labelSmoothing: 0.05f));
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    static Tensor Data(int seed, params int[] shape)
    {
        int length = shape.Aggregate(1, (a, b) => a * b);
        return new Tensor(Enumerable.Range(0, length).Select(i => 0.41f * (((i + seed) * 7) % 13) - 2.3f).ToArray(), shape);
    }

    [Fact]
    public void PredictReturnsTheEagerArgmax()
    {
        Module model = InMemoryModels.New(Built.Value, "Model");
        var x = Data(1, 6, 3);
        var labels = (Labels)InMemoryModels.Call(model, "PredictCompiled", x)!;
        var eager = (Labels)InMemoryModels.Call(model, "Predict", x)!;
        Assert.Equal([6], labels.Shape.ToArray());
        Assert.Equal(eager.Span.ToArray(), labels.Span.ToArray());
        Assert.Null(model.GetType().GetMethod("PredictStep"));
    }

    [Fact]
    public void TheStepReturnsTheLossAndThePredictions()
    {
        Module model = InMemoryModels.New(Built.Value, "Model");
        var x = Data(2, 5, 3);
        var y = new Labels(0, 1, 2, 3, 1);
        float plain = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        var (loss, predictions) = ((float, Labels))InMemoryModels.Call(model, "TrainStep", x, y)!;
        Assert.Equal(plain, loss);
        var eager = F.Argmax(F.Linear(x, ((Linear)model.GetType().GetField("fc", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(model)!).Weight.Value,
            ((Linear)model.GetType().GetField("fc", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(model)!).Bias!.Value), 1);
        Assert.Equal(eager.Span.ToArray(), predictions.Span.ToArray());
        // The step keeps its labels: the next call of the same size hands back the same object.
        var (_, again) = ((float, Labels))InMemoryModels.Call(model, "TrainStep", x, y)!;
        Assert.Same(predictions, again);
        var (compiledLoss, compiledPredictions) = ((Tensor, Labels))InMemoryModels.Call(model, "TrainCompiled", x, y)!;
        Assert.Equal(loss, compiledLoss[0], 6);
        Assert.Equal(eager.Span.ToArray(), compiledPredictions.Span.ToArray());
    }

    [Fact]
    public void ClassLossesOverExtraAxesMatchEagerInTheStep()
    {
        object model = InMemoryModels.New(Built.Value, "Model");
        var x = Data(3, 2, 4, 3);
        var y = new Labels([0, 2, 3, 1, 2, 0], [2, 3]);
        var w = new Tensor([0.5f, 1.5f, 1f, 2f], 4);
        var gx = new Tensor(2, 4, 3);
        var (loss, predictions) = ((float, Labels))InMemoryModels.Call(model, "PixelsStep", x, y, w, gx)!;
        Assert.Equal(F.CrossEntropy(x, y, w, ignoreIndex: 2, labelSmoothing: 0.1f).Item(), loss, 5);
        Assert.Equal(F.Argmax(x, 1).Span.ToArray(), predictions.Span.ToArray());
        Assert.Equal([2, 3], predictions.Shape.ToArray());
        AssertGradient(x, gx, v => F.CrossEntropy(v, y, w, ignoreIndex: 2, labelSmoothing: 0.1f).Item());

        var gn = new Tensor(2, 4, 3);
        float nll = (float)InMemoryModels.Call(model, "PixelsNllStep", x, y, gn)!;
        Assert.Equal(F.NllLoss(F.LogSoftmax(x, 1), y, reduction: "sum").Item(), nll, 4);
        AssertGradient(x, gn, v => F.NllLoss(F.LogSoftmax(v, 1), y, reduction: "sum").Item());

        var t = F.Softmax(Data(4, 2, 4, 3), 1);
        var gs = new Tensor(2, 4, 3);
        float soft = (float)InMemoryModels.Call(model, "SoftStep", x, t, gs)!;
        Assert.Equal(F.Sum(F.CrossEntropy(x, t, reduction: "none", labelSmoothing: 0.05f)).Item(), soft, 4);
        AssertGradient(x, gs, v => F.Sum(F.CrossEntropy(v, t, reduction: "none", labelSmoothing: 0.05f)).Item());
    }

    [Fact]
    public void BadLabelsAndTargetsAreNamedWhenTheCodeRuns()
    {
        object model = InMemoryModels.New(Built.Value, "Model");
        var x = Data(3, 2, 4, 3);
        var w = new Tensor([0.5f, 1.5f, 1f, 2f], 4);
        var g = new Tensor(2, 4, 3);
        var outOfRange = Assert.Throws<ArgumentException>(() => InMemoryModels.Call(model, "PixelsStep", x, new Labels([0, 2, 7, 1, 2, 0], [2, 3]), w, g));
        Assert.Equal("labels", outOfRange.ParamName);
        Assert.Contains("label 7", outOfRange.Message, StringComparison.Ordinal);
        var wrongShape = Assert.Throws<ArgumentException>(() => InMemoryModels.Call(model, "PixelsStep", x, new Labels([0, 1, 0, 1, 0, 1], [3, 2]), w, g));
        Assert.Equal("y", wrongShape.ParamName);
        var vector = Assert.Throws<ArgumentException>(() => InMemoryModels.Call(model, "PixelsStep", x, new Labels(0, 1, 0, 1, 0, 1), w, g));
        Assert.Equal("y", vector.ParamName);
        var target = Assert.Throws<ArgumentException>(() => InMemoryModels.Call(model, "SoftStep", x, new Tensor(2, 4, 2), g));
        Assert.Equal("t", target.ParamName);

        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, new Labels([0, 1, 0, 1, 0, 1], [3, 2]))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, new Tensor(2, 4, 2))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => F.NllLoss(x, new Labels([0, 1, 9, 1, 0, 1], [2, 3]))).ParamName);
    }

    [Fact]
    public void ArgmaxTakesTheFirstOfTiesAndTheFirstNaN()
    {
        var x = new Tensor([1f, 3f, 3f, float.NaN, 2f, float.NaN, 0f, 0f, 0f, -1f, float.NegativeInfinity, -1f], 3, 4);
        Assert.Equal([3, 1, 0], F.Argmax(x, 1).Span.ToArray());
        Assert.Equal([1, 1, 0, 0], F.Argmax(x, 0).Span.ToArray());
        Assert.Equal([3, 1], F.Argmax(x, -1, keepDim: true).Shape.ToArray());
        Assert.Equal([1, 0], F.Argmax(new Tensor([2f, 5f, 5f, 1f, 4f, 4f, 4f, 4f], 2, 4), 1).Span.ToArray());
        Assert.Equal("dim", Assert.Throws<ArgumentException>(() => F.Argmax(x, 2)).ParamName);
        Assert.Equal(0, F.Argmax(new Tensor([5f], 1), 0).Rank);
    }

    /// <summary>The step's gradient against central differences of the eager loss.</summary>
    static void AssertGradient(Tensor x, Tensor gradient, Func<Tensor, float> loss)
    {
        for (int i = 0; i < x.Length; i++)
        {
            var plus = x.Clone();
            var minus = x.Clone();
            plus[i] += 1e-2f;
            minus[i] -= 1e-2f;
            double numeric = (loss(plus) - loss(minus)) / ((double)plus[i] - minus[i]);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 2e-2 * (1 + Math.Abs(numeric)), $"d/dx[{i}]: step {gradient[i]}, finite differences {numeric}");
        }
    }
}
