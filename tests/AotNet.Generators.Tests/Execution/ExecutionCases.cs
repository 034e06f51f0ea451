using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;
using static AotNet.Generators.Tests.Execution.ExecutionCase;
using static AotNet.Generators.Tests.Support.TensorData;

namespace AotNet.Generators.Tests.Execution;

/// <summary>Every model method whose generated step is checked, by name. Each builds fresh, seeded inputs.</summary>
public static class ExecutionCases
{
    /// <summary>The batch size of <see cref="All"/>: every forward GEMM takes the small-rows path.</summary>
    public const int SmallBatch = 4;

    /// <summary>Batch sizes the gradient checks run at: 16 and 64 rows take the packed GEMM path.</summary>
    public static readonly int[] BatchSizes = [SmallBatch, 16, 64];

    /// <summary>Every case at <see cref="SmallBatch"/> rows.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ExecutionCase>> All =
        ByBatch().ToDictionary(p => p.Key, p => (Func<ExecutionCase>)(() => p.Value(SmallBatch)), StringComparer.Ordinal);

    /// <summary>Every case, built for a batch of N rows.</summary>
    public static IReadOnlyDictionary<string, Func<int, ExecutionCase>> ByBatch() => new Dictionary<string, Func<int, ExecutionCase>>(StringComparer.Ordinal)
    {
        ["MatMul.Inputs"] = N =>
        {
            var (m, rng) = (new MatMulModel(), new Rng(101));
            var (a, b, w) = (Uniform(rng, N, 4), Uniform(rng, 4, 3), Uniform(rng, N, 3));
            var (da, db) = (GradFor(a), GradFor(b));
            return new("MatMul.Inputs", () => m.Loss(a, b, w).Item(), () => m.LossStep(a, b, w, da, db), () => m.LossCompiled(a, b, w).Item(),
                [Input("a", a, da), Input("b", b, db)]);
        },
        ["MatMul.Parameter"] = N =>
        {
            var (m, rng) = (new MatMulModel(), new Rng(102));
            var (x, w) = (Uniform(rng, N, 4), Uniform(rng, N, 3));
            var dx = GradFor(x);
            return new("MatMul.Parameter", () => m.ProjectLoss(x, w).Item(), () => m.ProjectLossStep(x, w, dx), () => m.ProjectLossCompiled(x, w).Item(),
                [.. ParametersOf(m).Where(p => p.Name == "proj.weight"), Input("x", x, dx)]);
        },
        ["Linear.Bias"] = N => LinearCase("Linear.Bias", (m, x, w) => m.LossWithBias(x, w), (m, x, w, dx) => m.LossWithBiasStep(x, w, dx), (m, x, w) => m.LossWithBiasCompiled(x, w), "withBias.", N),
        ["Linear.NoBias"] = N => LinearCase("Linear.NoBias", (m, x, w) => m.LossNoBias(x, w), (m, x, w, dx) => m.LossNoBiasStep(x, w, dx), (m, x, w) => m.LossNoBiasCompiled(x, w), "noBias.", N),
        ["Linear.Functional"] = N => LinearCase("Linear.Functional", (m, x, w) => m.LossFunctional(x, w), (m, x, w, dx) => m.LossFunctionalStep(x, w, dx), (m, x, w) => m.LossFunctionalCompiled(x, w), "withBias.", N),
        ["Linear.FunctionalNoBias"] = N => LinearCase("Linear.FunctionalNoBias", (m, x, w) => m.LossFunctionalNoBias(x, w), (m, x, w, dx) => m.LossFunctionalNoBiasStep(x, w, dx), (m, x, w) => m.LossFunctionalNoBiasCompiled(x, w), "noBias.", N),
        ["Add.Row"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(111));
            var (a, row, w) = (Uniform(rng, N, 5), Uniform(rng, 5), Uniform(rng, N, 5));
            var (da, drow) = (GradFor(a), GradFor(row));
            return new("Add.Row", () => m.AddRowLoss(a, row, w).Item(), () => m.AddRowLossStep(a, row, w, da, drow), () => m.AddRowLossCompiled(a, row, w).Item(),
                [Input("a", a, da), Input("row", row, drow)]);
        },
        ["Sub.Column"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(112));
            var (col, a, w) = (Uniform(rng, N, 1), Uniform(rng, N, 5), Uniform(rng, N, 5));
            var (dcol, da) = (GradFor(col), GradFor(a));
            return new("Sub.Column", () => m.SubColumnLoss(col, a, w).Item(), () => m.SubColumnLossStep(col, a, w, dcol, da), () => m.SubColumnLossCompiled(col, a, w).Item(),
                [Input("col", col, dcol), Input("a", a, da)]);
        },
        ["Sub.Row"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(113));
            var (a, row, w) = (Uniform(rng, N, 5), Uniform(rng, 1, 5), Uniform(rng, N, 5));
            var (da, drow) = (GradFor(a), GradFor(row));
            return new("Sub.Row", () => m.SubRowLoss(a, row, w).Item(), () => m.SubRowLossStep(a, row, w, da, drow), () => m.SubRowLossCompiled(a, row, w).Item(),
                [Input("a", a, da), Input("row", row, drow)]);
        },
        ["Mul.Outer"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(114));
            var (col, row, w) = (Uniform(rng, N, 1), Uniform(rng, 1, 5), Uniform(rng, N, 5));
            var (dcol, drow) = (GradFor(col), GradFor(row));
            return new("Mul.Outer", () => m.MulOuterLoss(col, row, w).Item(), () => m.MulOuterLossStep(col, row, w, dcol, drow), () => m.MulOuterLossCompiled(col, row, w).Item(),
                [Input("col", col, dcol), Input("row", row, drow)]);
        },
        ["Mul.SameShape"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(115));
            var (a, b) = (Uniform(rng, N, 5), Uniform(rng, N, 5));
            var (da, db) = (GradFor(a), GradFor(b));
            return new("Mul.SameShape", () => m.MulSameShapeLoss(a, b).Item(), () => m.MulSameShapeLossStep(a, b, da, db), () => m.MulSameShapeLossCompiled(a, b).Item(),
                [Input("a", a, da), Input("b", b, db)]);
        },
        ["Operators"] = N =>
        {
            var (m, rng) = (new BroadcastModel(), new Rng(116));
            var (a, row, col, w) = (Uniform(rng, N, 5), Uniform(rng, 5), Uniform(rng, N, 1), Uniform(rng, N, 5));
            var (da, drow, dcol) = (GradFor(a), GradFor(row), GradFor(col));
            return new("Operators", () => m.OperatorsLoss(a, row, col, w).Item(), () => m.OperatorsLossStep(a, row, col, w, da, drow, dcol),
                () => m.OperatorsLossCompiled(a, row, col, w).Item(), [Input("a", a, da), Input("row", row, drow), Input("col", col, dcol)]);
        },
        ["Operators.Scalars"] = N =>
        {
            var (m, rng) = (new ScalarOperatorModel(), new Rng(117));
            var (x, w) = (Uniform(rng, N, 5), Uniform(rng, N, 5));
            var dx = GradFor(x);
            return new("Operators.Scalars", () => m.ScalarsLoss(x, w).Item(), () => m.ScalarsLossStep(x, w, dx), () => m.ScalarsLossCompiled(x, w).Item(),
                [Input("x", x, dx)]);
        },
        ["Operators.Parameters"] = N =>
        {
            var (m, rng) = (new ScalarOperatorModel(scale: -1.25f), new Rng(118));
            var (x, w) = (Uniform(rng, N, 5), Uniform(rng, N, 5));
            var dx = GradFor(x);
            return new("Operators.Parameters", () => m.ParametersLoss(x, w).Item(), () => m.ParametersLossStep(x, w, dx), () => m.ParametersLossCompiled(x, w).Item(),
                [.. ParametersOf(m), Input("x", x, dx)]);
        },
        ["Relu"] = N => ActivationCase("Relu", (m, x, w) => m.ReluLoss(x, w), (m, x, w, dx) => m.ReluLossStep(x, w, dx), (m, x, w) => m.ReluLossCompiled(x, w), N),
        ["Tanh"] = N => ActivationCase("Tanh", (m, x, w) => m.TanhLoss(x, w), (m, x, w, dx) => m.TanhLossStep(x, w, dx), (m, x, w) => m.TanhLossCompiled(x, w), N),
        ["Sigmoid"] = N => ActivationCase("Sigmoid", (m, x, w) => m.SigmoidLoss(x, w), (m, x, w, dx) => m.SigmoidLossStep(x, w, dx), (m, x, w) => m.SigmoidLossCompiled(x, w), N),
        ["LogSoftmax"] = N =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(131));
            var (x, w) = (Uniform(rng, N, 5), Uniform(rng, N, 5));
            var dx = GradFor(x);
            return new("LogSoftmax", () => m.LogSoftmaxLoss(x, w).Item(), () => m.LogSoftmaxLossStep(x, w, dx), () => m.LogSoftmaxLossCompiled(x, w).Item(),
                [Input("x", x, dx)]);
        },
        ["CrossEntropy.Logits"] = N =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(132));
            var (logits, y) = (Uniform(rng, N, 4), Labels(rng, N, 4));
            var dlogits = GradFor(logits);
            return new("CrossEntropy.Logits", () => m.CrossEntropyLoss(logits, y).Item(), () => m.CrossEntropyLossStep(logits, y, dlogits),
                () => m.CrossEntropyLossCompiled(logits, y).Item(), [Input("logits", logits, dlogits)]);
        },
        ["Softmax.MiddleAxis"] = N =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(134));
            var (x, w) = (Uniform(rng, N, 3, 4), Uniform(rng, N, 3, 4));
            var dx = GradFor(x);
            return new("Softmax.MiddleAxis", () => m.MiddleAxisLoss(x, w).Item(), () => m.MiddleAxisLossStep(x, w, dx), () => m.MiddleAxisLossCompiled(x, w).Item(),
                [Input("x", x, dx)]);
        },
        ["NllLoss.AfterLogSoftmax"] = N =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(135));
            var (logits, y, weight) = (Uniform(rng, N, 4), Labels(rng, N, 4), Uniform(rng, 4));
            var dlogits = GradFor(logits);
            return new("NllLoss.AfterLogSoftmax", () => m.LogSoftmaxNllLoss(logits, y, weight).Item(), () => m.LogSoftmaxNllLossStep(logits, y, weight, dlogits),
                () => m.LogSoftmaxNllLossCompiled(logits, y, weight).Item(), [Input("logits", logits, dlogits)]);
        },
        ["CrossEntropy.Classifier"] = N =>
        {
            var (m, rng) = (new SoftmaxModel(), new Rng(133));
            var (x, y) = (Uniform(rng, N, 6), Labels(rng, N, 4));
            var dx = GradFor(x);
            return new("CrossEntropy.Classifier", () => m.ClassifierLoss(x, y).Item(), () => m.ClassifierLossStep(x, y, dx),
                () => m.ClassifierLossCompiled(x, y).Item(), [.. ParametersOf(m), Input("x", x, dx)]);
        },
        ["Sum"] = N =>
        {
            var (m, rng) = (new ReductionModel(), new Rng(141));
            var (x, w) = (Uniform(rng, N, 3), Uniform(rng, N, 3));
            var dx = GradFor(x);
            return new("Sum", () => m.SumLoss(x, w).Item(), () => m.SumLossStep(x, w, dx), () => m.SumLossCompiled(x, w).Item(), [Input("x", x, dx)]);
        },
        ["Mean"] = N =>
        {
            var (m, rng) = (new ReductionModel(), new Rng(142));
            var x = Uniform(rng, N, 3);
            var dx = GradFor(x);
            return new("Mean", () => m.MeanLoss(x).Item(), () => m.MeanLossStep(x, dx), () => m.MeanLossCompiled(x).Item(), [Input("x", x, dx)]);
        },
        ["Mean.OfAdd"] = N =>
        {
            var (m, rng) = (new ReductionModel(), new Rng(143));
            var (x, w) = (Uniform(rng, N, 3), Uniform(rng, N, 3));
            var dx = GradFor(x);
            return new("Mean.OfAdd", () => m.MeanOfSum(x, w).Item(), () => m.MeanOfSumStep(x, w, dx), () => m.MeanOfSumCompiled(x, w).Item(), [Input("x", x, dx)]);
        },
        ["Submodule"] = N =>
        {
            var (m, rng) = (new SubmoduleModel(), new Rng(151));
            var (x, y) = (Uniform(rng, N, 4), Labels(rng, N, 3));
            var dx = GradFor(x);
            return new("Submodule", () => m.Loss(x, y).Item(), () => m.LossStep(x, y, dx), () => m.LossCompiled(x, y).Item(),
                [.. ParametersOf(m), Input("x", x, dx)]);
        },
        ["SharedWeights"] = N =>
        {
            var (m, rng) = (new SharedWeightsModel(), new Rng(171));
            var x = Uniform(rng, N, 4);
            var dx = GradFor(x);
            return new("SharedWeights", () => m.Loss(x).Item(), () => m.LossStep(x, dx), () => m.LossCompiled(x).Item(),
                [.. ParametersOf(m), Input("x", x, dx)]);
        },
        ["Mlp"] = N =>
        {
            var (m, rng) = (new Mlp(), new Rng(161));
            var (x, y) = (Uniform(rng, N, 784), Labels(rng, N, 10));
            return new("Mlp", () => m.Loss(x, y).Item(), () => m.LossStep(x, y), () => m.LossCompiled(x, y).Item(), [.. ParametersOf(m)],
                HasReluKinks: true, Eps: 1e-4f, Reference: () => NaiveReference.CrossEntropy(NaiveModels.MlpLogits(m, x), y).Item());
        },
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }
        return data;
    }

    static ExecutionCase LinearCase(string name, Func<LinearModel, Tensor, Tensor, Tensor> eager, Func<LinearModel, Tensor, Tensor, Tensor, float> step,
        Func<LinearModel, Tensor, Tensor, Tensor> compiled, string layer, int n)
    {
        var (m, rng) = (new LinearModel(), new Rng(121));
        var (x, w) = (Uniform(rng, n, 5), Uniform(rng, n, 3));
        var dx = GradFor(x);
        return new(name, () => eager(m, x, w).Item(), () => step(m, x, w, dx), () => compiled(m, x, w).Item(),
            [.. ParametersOf(m).Where(p => p.Name.StartsWith(layer, StringComparison.Ordinal)), Input("x", x, dx)]);
    }

    static ExecutionCase ActivationCase(string name, Func<ActivationModel, Tensor, Tensor, Tensor> eager, Func<ActivationModel, Tensor, Tensor, Tensor, float> step,
        Func<ActivationModel, Tensor, Tensor, Tensor> compiled, int n)
    {
        var (m, rng) = (new ActivationModel(), new Rng(122));
        // Inputs at least 0.2 from zero, so a ±eps perturbation never crosses relu's kink.
        var (x, w) = (AwayFromZero(rng, n, 6), Uniform(rng, n, 6));
        var dx = GradFor(x);
        return new(name, () => eager(m, x, w).Item(), () => step(m, x, w, dx), () => compiled(m, x, w).Item(), [Input("x", x, dx)]);
    }
}
