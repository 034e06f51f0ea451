using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(a) Every generated step's gradients agree with central finite differences of the eager method's loss.</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> NamesAndBatchSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in ExecutionCases.All.Keys.Order(StringComparer.Ordinal))
        {
            foreach (int n in ExecutionCases.BatchSizes)
            {
                data.Add(name, n);
            }
        }
        return data;
    }

    /// <summary>At N = 4 every forward GEMM takes the small-rows path; at 16 and 64 the packed path.</summary>
    [Theory]
    [MemberData(nameof(NamesAndBatchSizes))]
    public void StepGradientsMatchFiniteDifferencesOfEagerLoss(string name, int n)
    {
        var test = ExecutionCases.ByBatch()[name](n);
        Assert.NotEmpty(test.Targets);
        double worst = test.Reference is { } reference
            ? GradCheck.CheckReference(reference, () => test.Step(), test.Targets, test.Eps, test.HasReluKinks)
            : GradCheck.Check(test.Eager, () => test.Step(), test.Targets, test.Eps, test.HasReluKinks);
        output.WriteLine($"{name} at N = {n}: largest relative gradient error {worst:G3}");
    }

    [Fact]
    public void StepOverwritesGradientsInsteadOfAccumulating()
    {
        var test = ExecutionCases.All["CrossEntropy.Classifier"]();
        test.Step();
        var first = test.Targets.Select(t => t.Grad.ToArray()).ToList();
        test.Step();
        for (int t = 0; t < test.Targets.Count; t++)
        {
            Assert.Equal(first[t], test.Targets[t].Grad.ToArray());
        }
    }

    public static TheoryData<float, int, bool> WrongGradients()
    {
        var data = new TheoryData<float, int, bool>();
        foreach (int n in ExecutionCases.BatchSizes)
        {
            foreach (float factor in new[] { -1f, 2f, 0.5f })
            {
                data.Add(factor, n, false);
                data.Add(factor, n, true);
            }
        }
        return data;
    }

    /// <summary>
    /// loss = Σ w ⊙ tanh(x) (or its mean, whose gradients shrink as 1/N) over [n, 3]; the true
    /// gradient is w ⊙ (1 − tanh²x), scaled by 1/(3n) for the mean. Scale it and the check must
    /// fail, against the float eager loss and against the double reference loss alike.
    /// </summary>
    [Theory]
    [MemberData(nameof(WrongGradients))]
    public void CheckRejectsAWrongGradient(float factor, int n, bool mean)
    {
        var (x, w, grad, loss, reference, step) = TanhProblem(n, mean, factor);
        Assert.Throws<XunitException>(() => GradCheck.Check(loss, step, [new GradTarget("x", x, grad)]));
        Assert.Throws<XunitException>(() => GradCheck.CheckReference(reference, step, [new GradTarget("x", x, grad)]));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(16, false)]
    [InlineData(64, false)]
    [InlineData(64, true)]
    public void CheckAcceptsTheTrueGradient(int n, bool mean)
    {
        var (x, _, grad, loss, reference, step) = TanhProblem(n, mean, 1f);
        Assert.True(GradCheck.Check(loss, step, [new GradTarget("x", x, grad)]) < 1e-2);
        Assert.True(GradCheck.CheckReference(reference, step, [new GradTarget("x", x, grad)]) < 1e-4);
    }

    /// <summary>A step that leaves one element of a 64 × 8 gradient unwritten: the sampled comparison may miss it, the full scan must not.</summary>
    [Fact]
    public void CheckRejectsAGradientWithAnUnwrittenElement()
    {
        var rng = new Rng(6);
        var (x, w) = (TensorData.Uniform(rng, 64, 8), TensorData.Uniform(rng, 64, 8));
        var grad = TensorData.GradFor(x);
        float Loss() => F.Sum(F.Mul(F.Tanh(x), w)).Item();
        void StepMissingOne()
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (i != 301)
                {
                    float t = MathF.Tanh(x[i]);
                    grad[i] = w[i] * (1 - t * t);
                }
            }
        }
        var error = Assert.Throws<XunitException>(() => GradCheck.Check(Loss, StepMissingOne, [new GradTarget("x", x, grad)]));
        Assert.Contains("1 of 512 elements are NaN (first at 301)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// loss = mean(relu(x) ⊙ w) with small w, so every gradient is below 2e-3 (as a mean over a
    /// large batch makes them), and four elements of x sit within eps of relu's kink. The kink
    /// detector must skip those four and only those: a floor fixed at 1e-3 would miss kinks this small.
    /// </summary>
    [Fact]
    public void KinksAreSkippedWhenGradientsAreSmall()
    {
        var rng = new Rng(8);
        var (x, w) = (TensorData.AwayFromZero(rng, 8, 4), TensorData.Uniform(rng, 8, 4));
        const float eps = 1e-2f;
        foreach (int i in new[] { 3, 10, 17, 29 })
        {
            x[i] = (i % 2 == 0 ? 0.3f : -0.3f) * eps;
        }
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= 0.05f;
        }
        var grad = TensorData.GradFor(x);
        float Loss() => F.Mean(F.Mul(F.Relu(x), w)).Item();
        void Step()
        {
            for (int i = 0; i < x.Length; i++)
            {
                grad[i] = x[i] > 0 ? w[i] / x.Length : 0f;
            }
        }
        var target = new GradTarget("x", x, grad);
        GradCheck.Check(Loss, Step, [target], eps, allowKinks: true);
        Step();
        var samples = GradCheck.Run(Loss, [target], [grad.ToArray()], eps, allowKinks: true);
        Assert.Equal([3, 10, 17, 29], samples.Where(s => s.Kink).Select(s => s.Index));
    }

    static (Tensor X, Tensor W, Tensor Grad, Func<float> Loss, Func<double> Reference, Action Step) TanhProblem(int n, bool mean, float factor)
    {
        var rng = new Rng(5);
        var (x, w) = (TensorData.Uniform(rng, n, 3), TensorData.Uniform(rng, n, 3));
        var grad = TensorData.GradFor(x);
        float scale = mean ? 1f / x.Length : 1f;
        float Loss() => (mean ? F.Mean(F.Mul(F.Tanh(x), w)) : F.Sum(F.Mul(F.Tanh(x), w))).Item();
        double Reference()
        {
            var product = NaiveReference.Mul(NaiveReference.Tanh(NaiveTensor.Of(x)), NaiveTensor.Of(w));
            return (mean ? NaiveReference.Mean(product) : NaiveReference.Sum(product)).Item();
        }
        void Step()
        {
            for (int i = 0; i < x.Length; i++)
            {
                float t = MathF.Tanh(x[i]);
                grad[i] = factor * scale * w[i] * (1 - t * t);
            }
        }
        return (x, w, grad, Loss, Reference, Step);
    }
}
