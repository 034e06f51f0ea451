using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// The MLP-shaped models at a batch that takes the packed GEMM path: the generated step's loss,
/// the compiled loss and the compiled logits against the eager methods and against the naive
/// reference, which shares no kernel with either. |a − e| / (1 + |e|) ≤ 1e-5.
/// </summary>
public class BatchAgreementTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    /// <summary>One model at one batch: logits three ways (null when the model has no logits method) and the loss four ways.</summary>
    sealed record Outcome(Tensor? CompiledLogits, Tensor? EagerLogits, NaiveTensor NaiveLogits, float StepLoss, float CompiledLoss, float EagerLoss, double NaiveLoss);

    static readonly Dictionary<string, Func<int, Outcome>> Models = new(StringComparer.Ordinal)
    {
        ["Mlp"] = n =>
        {
            var (m, rng) = (new Mlp(), new Rng(601));
            var (x, y) = (TensorData.Uniform(rng, n, 784), TensorData.Labels(rng, n, 10));
            var naive = NaiveModels.MlpLogits(m, x);
            return new(m.ForwardCompiled(x), m.Forward(x), naive, m.LossStep(x, y), m.LossCompiled(x, y).Item(), m.Loss(x, y).Item(),
                NaiveReference.CrossEntropy(naive, y).Item());
        },
        ["Submodule"] = n =>
        {
            var (m, rng) = (new SubmoduleModel(), new Rng(602));
            var (x, y) = (TensorData.Uniform(rng, n, 4), TensorData.Labels(rng, n, 3));
            var naive = NaiveModels.SubmoduleLogits(m, x);
            return new(m.ForwardCompiled(x), m.Forward(x), naive, m.LossStep(x, y, TensorData.GradFor(x)), m.LossCompiled(x, y).Item(), m.Loss(x, y).Item(),
                NaiveReference.CrossEntropy(naive, y).Item());
        },
        ["CrossEntropy.Classifier"] = n =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(603));
            var (x, y) = (TensorData.Uniform(rng, n, 6), TensorData.Labels(rng, n, 4));
            var naive = NaiveModels.ClassifierLogits(m, x);
            return new(null, null, naive, m.ClassifierLossStep(x, y, TensorData.GradFor(x)), m.ClassifierLossCompiled(x, y).Item(), m.ClassifierLoss(x, y).Item(),
                NaiveReference.CrossEntropy(naive, y).Item());
        },
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Models.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name, 16);
            data.Add(name, 64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedEagerAndNaiveAgree(string name, int n)
    {
        var o = Models[name](n);
        if (o.CompiledLogits is not null && o.EagerLogits is not null)
        {
            double compiledVersusEager = NaiveReference.MaxError(o.CompiledLogits, NaiveTensor.Of(o.EagerLogits));
            double compiledVersusNaive = NaiveReference.MaxError(o.CompiledLogits, o.NaiveLogits);
            double eagerVersusNaive = NaiveReference.MaxError(o.EagerLogits, o.NaiveLogits);
            output.WriteLine($"{name} at N = {n}: logits compiled vs eager {compiledVersusEager:G3}, compiled vs naive {compiledVersusNaive:G3}, eager vs naive {eagerVersusNaive:G3}");
            Assert.True(compiledVersusEager <= Tolerance, $"compiled logits differ from eager by {compiledVersusEager:G3}");
            Assert.True(compiledVersusNaive <= Tolerance, $"compiled logits differ from the naive reference by {compiledVersusNaive:G3}");
            Assert.True(eagerVersusNaive <= Tolerance, $"eager logits differ from the naive reference by {eagerVersusNaive:G3}");
        }
        Assert.Equal(new[] { n }, o.NaiveLogits.Shape.Take(1));
        foreach (var (what, value) in new[] { ("step", o.StepLoss), ("compiled", o.CompiledLoss), ("eager", o.EagerLoss) })
        {
            double error = Math.Abs(value - o.NaiveLoss) / (1 + Math.Abs(o.NaiveLoss));
            output.WriteLine($"{name} at N = {n}: {what} loss {value:G9} vs naive {o.NaiveLoss:G9} ({error:G3})");
            Assert.True(error <= Tolerance, $"{what} loss {value:G9} differs from the naive reference {o.NaiveLoss:G9} by {error:G3}");
        }
        Assert.True(Math.Abs(o.StepLoss - o.EagerLoss) / (1 + Math.Abs(o.EagerLoss)) <= Tolerance, $"step loss {o.StepLoss:G9} vs eager {o.EagerLoss:G9}");
    }
}
