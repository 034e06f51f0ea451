using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using static AotNet.Generators.Tests.Support.NaiveReference;

namespace AotNet.Generators.Tests.Robustness;

/// <summary>
/// Runs the edge-case models of <see cref="EdgeCaseTests"/>: their generated losses, outputs and
/// gradients against values worked out here in double precision, including exact zeros for the
/// gradient of anything the loss ignores. Gradient buffers start as NaN, so an unwritten element fails.
/// </summary>
public class EdgeCaseExecutionTests
{
    const double Tolerance = 1e-5;

    static readonly Lazy<Assembly> Compiled = new(Compile);

    static readonly IReadOnlyDictionary<string, Action<Func<string, object>>> Runs = new Dictionary<string, Action<Func<string, object>>>(StringComparer.Ordinal)
    {
        ["an input named like a generated local"] = create =>
        {
            var model = Model.Of(create("Model"));
            var rng = new Rng(1);
            var (i, workspace) = (TensorData.Uniform(rng, 5, 4), TensorData.Uniform(rng, 5, 4));
            double expected = Sum(Tanh(Mul(NaiveTensor.Of(i), NaiveTensor.Of(workspace)))).Item();
            AssertClose(expected, (float)model.Call("LossStep", i, workspace), "LossStep");
            AssertClose(expected, model.Tensor("LossCompiled", i, workspace).Item(), "LossCompiled");
        },
        ["returning an input unchanged"] = create =>
        {
            var model = Model.Of(create("Model"));
            var x = TensorData.Uniform(new Rng(2), 3, 4);
            var copy = x.ToArray();
            var result = model.Tensor("ForwardCompiled", x);
            Assert.NotSame(x, result);
            Assert.Equal(copy, result.ToArray());
            result.Span.Fill(7f);
            Assert.Equal(copy, x.ToArray());
        },
        ["a scalar parameter as the whole loss"] = create =>
        {
            var model = Model.Of(create("Model"));
            var bias = (Parameter)model.Instance.GetType().GetProperty("Bias")!.GetValue(model.Instance)!;
            bias.Value.Span[0] = 0.75f;
            bias.Grad.Span.Fill(float.NaN);
            var x = TensorData.Uniform(new Rng(3), 2, 4);
            Assert.Equal(0.75f, (float)model.Call("LossStep", x));
            Assert.Equal(1f, bias.Grad.Item());
            Assert.Equal(0.75f, model.Tensor("LossCompiled", x).Item());
        },
        ["an input that the result ignores"] = create =>
        {
            var model = Model.Of(create("Model"));
            var rng = new Rng(4);
            var (x, unused) = (TensorData.Uniform(rng, 3, 4), TensorData.Uniform(rng, 3, 4));
            var unusedGrad = Nan(3, 4);
            float loss = (float)model.Call("LossStep", x, unused, unusedGrad);
            AssertClose(Mean(Relu(NaiveTensor.Of(x))).Item(), loss, "LossStep");
            Assert.All(unusedGrad.ToArray(), g => Assert.Equal(0f, g));
        },
        ["a layer whose output the loss ignores"] = LayerTheLossIgnores,
        // The step overwrites every gradient of the model, even of a layer its graph never reaches.
        ["a layer the method never reads"] = LayerTheLossIgnores,
        ["the same value used many times"] = create =>
        {
            var model = Model.Of(create("Model"));
            var x = TensorData.Uniform(new Rng(6), 4, 3);
            var dx = Nan(4, 3);
            float loss = (float)model.Call("LossStep", x, dx);

            // y = x² + x; loss = Σ y² + σ(y) − x; dloss/dx = (2y + σ(y)(1 − σ(y)))·(2x + 1) − 1.
            double expectedLoss = 0;
            var expectedGrad = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i], y = v * v + v, s = 1 / (1 + Math.Exp(-y));
                expectedLoss += y * y + s - v;
                expectedGrad[i] = (2 * y + s * (1 - s)) * (2 * v + 1) - 1;
            }
            AssertClose(expectedLoss, loss, "LossStep");
            AssertAllClose(new NaiveTensor([4, 3], expectedGrad), dx, "x");
        },
        ["log-softmax of a vector and a rank-3 broadcast"] = create =>
        {
            var model = Model.Of(create("Model"));
            var rng = new Rng(7);
            var (x, s, v) = (TensorData.Uniform(rng, 2, 3, 4), TensorData.Uniform(rng, 3, 1), TensorData.Uniform(rng, 5));
            var (dx, ds, dv) = (Nan(2, 3, 4), Nan(3, 1), Nan(5));
            float loss = (float)model.Call("LossStep", x, s, v, dx, ds, dv);

            // z = x ⊙ s; Σ log_softmax(z) has dz = 1 − 4·softmax(z) per row of 4; dx = dz ⊙ s,
            // ds[j] = Σ_{b,k} dz[b,j,k]·x[b,j,k]; mean(log_softmax(v)) has dv = 1/5 − softmax(v).
            var (xd, sd, vd) = (NaiveTensor.Of(x), NaiveTensor.Of(s), NaiveTensor.Of(v));
            var logZ = LogSoftmax(Mul(xd, sd));
            var logV = LogSoftmax(vd);
            AssertClose(Sum(logZ).Item() + Mean(logV).Item(), loss, "LossStep");
            var dz = new NaiveTensor(logZ.Shape, logZ.Data.Select(l => 1 - 4 * Math.Exp(l)).ToArray());
            AssertAllClose(Mul(dz, sd), dx, "x");
            var dzx = Mul(dz, xd);
            var expectedDs = new double[3];
            for (int i = 0; i < dzx.Length; i++)
            {
                expectedDs[i / 4 % 3] += dzx.Data[i];
            }
            AssertAllClose(new NaiveTensor([3, 1], expectedDs), ds, "s");
            AssertAllClose(new NaiveTensor([5], logV.Data.Select(l => 0.2 - Math.Exp(l)).ToArray()), dv, "v");
        },
        ["a generic containing type and a nested model"] = create =>
        {
            var model = Model.Of(create("Outer`1+Model"));
            var rng = new Rng(8);
            var (x, y) = (TensorData.Uniform(rng, 3, 2), new Labels(1, 0, 1));
            double expected = CrossEntropy(NaiveTensor.Of(x), y).Item();
            AssertClose(expected, (float)model.Call("LossStep", x, y), "LossStep");
            AssertClose(expected, model.Tensor("LossCompiled", x, y).Item(), "LossCompiled");
        },
    };

    public static TheoryData<string> Descriptions() => new(EdgeCaseTests.Models.Select(row => (string)row[0]));

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void GeneratedCodeComputesTheExpectedValues(string description)
    {
        Assert.True(Runs.TryGetValue(description, out var run), $"the edge case '{description}' is compiled but never run; add its expected values here");
        var assembly = Compiled.Value;
        string space = Namespace(description);
        run(type =>
        {
            var found = assembly.GetType($"{space}.{type}", throwOnError: true)!;
            return Activator.CreateInstance(found.IsGenericTypeDefinition ? found.MakeGenericType(typeof(int)) : found)!;
        });
    }

    [Fact]
    public void EveryRunIsAnEdgeCase() =>
        Assert.All(Runs.Keys, key => Assert.Contains(key, EdgeCaseTests.Models.Select(row => (string)row[0])));

    /// <summary>Each edge model in a namespace of its own, all in one compilation.</summary>
    static Assembly Compile()
    {
        var source = new StringBuilder(GeneratorHarness.Prelude);
        foreach (var row in EdgeCaseTests.Models)
        {
            source.Append($"namespace {Namespace((string)row[0])}\n{{\n{row[1]}\n}}\n\n");
        }
        var run = GeneratorHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(stream.ToArray());
    }

    static string Namespace(string description) =>
        "Edge." + string.Concat(description.Split(' ', '-').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    static Tensor Nan(params int[] shape)
    {
        var tensor = new Tensor(shape);
        tensor.Span.Fill(float.NaN);
        return tensor;
    }

    static NaiveTensor Transpose(NaiveTensor m)
    {
        int rows = m.Shape[0], cols = m.Shape[1];
        var data = new double[m.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                data[c * rows + r] = m.Data[r * cols + c];
            }
        }
        return new NaiveTensor([cols, rows], data);
    }

    static NaiveTensor SumOverRows(NaiveTensor m)
    {
        int cols = m.Shape[1];
        var data = new double[cols];
        for (int i = 0; i < m.Length; i++)
        {
            data[i % cols] += m.Data[i];
        }
        return new NaiveTensor([cols], data);
    }

    static void AssertClose(double expected, float actual, string what)
    {
        double error = Math.Abs(actual - expected) / (1 + Math.Abs(expected));
        Assert.True(error <= Tolerance, $"{what}: {actual:G9}, expected {expected:G9}");
    }

    static void AssertAllClose(NaiveTensor expected, Tensor actual, string what)
    {
        double error = MaxError(actual, expected);
        Assert.True(error <= Tolerance, $"d/d{what}: largest error {error:G3}; got [{string.Join(", ", actual.ToArray())}]");
    }

    /// <summary>A generated model instance, with reflection calls that rethrow the generated code's own exception.</summary>
    sealed record Model(object Instance)
    {
        public static Model Of(object instance) => new(instance);

        public object Call(string method, params object[] arguments)
        {
            try
            {
                return InMemoryModels.Invoke(Instance.GetType().GetMethod(method)!, Instance, arguments)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }

        public Tensor Tensor(string method, params object[] arguments) => (Tensor)Call(method, arguments);
    }

    static void LayerTheLossIgnores(Func<string, object> create)
    {
        var model = Model.Of(create("Model"));
        var module = (Module)model.Instance;
        var parameters = module.NamedParameters().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(["unused.bias", "unused.weight", "used.bias", "used.weight"], parameters.Keys.Order(StringComparer.Ordinal));
        foreach (var p in parameters.Values)
        {
            p.Grad.Span.Fill(float.NaN);
        }
        var x = TensorData.Uniform(new Rng(5), 4, 3);
        var dx = Nan(4, 3);
        float loss = (float)model.Call("LossStep", x, dx);

        // z = x·Wᵀ + b, loss = Σ tanh(z); dz = 1 − tanh²z, dW = dzᵀ·x, db = Σ_rows dz, dx = dz·W.
        var (xd, w) = (NaiveTensor.Of(x), NaiveTensor.Of(parameters["used.weight"].Value));
        var t = Tanh(NaiveModels.Linear(module, "used", xd));
        var dz = new NaiveTensor(t.Shape, t.Data.Select(v => 1 - v * v).ToArray());
        AssertClose(Sum(t).Item(), loss, "LossStep");
        AssertAllClose(MatMul(Transpose(dz), xd), parameters["used.weight"].Grad, "used.weight");
        AssertAllClose(SumOverRows(dz), parameters["used.bias"].Grad, "used.bias");
        AssertAllClose(MatMul(dz, w), dx, "x");
        Assert.All(parameters["unused.weight"].Grad.ToArray(), g => Assert.Equal(0f, g));
        Assert.All(parameters["unused.bias"].Grad.ToArray(), g => Assert.Equal(0f, g));
    }
}
