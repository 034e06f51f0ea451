namespace AotNet.Generators.Graph;

/// <summary>
/// The primitive ops of the graph. User-level ops lower to these (Linear to Gemm plus Add,
/// CrossEntropy to LogSoftmax plus Nll); the ones after <see cref="Constant"/> appear only in
/// backward graphs.
/// </summary>
internal enum OpKind
{
    Input,
    LabelsInput,
    Parameter,
    Gemm,
    Add,
    Sub,
    Mul,
    Neg,
    Relu,
    Tanh,
    Sigmoid,
    LogSoftmax,
    Nll,
    Sum,
    Mean,
    Constant,
    ReluGrad,
    TanhGrad,
    SigmoidGrad,
    LogSoftmaxGrad,
    NllGrad,
    SoftmaxCrossEntropyGrad,
    SumTo,
    Fill,
    Copy,
}

internal static class OpKindFacts
{
    /// <summary>Ops computed one element at a time, which fusion may merge into one loop.</summary>
    public static bool IsElementwise(this OpKind op) => op is OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Neg
        or OpKind.Relu or OpKind.Tanh or OpKind.Sigmoid or OpKind.ReluGrad or OpKind.TanhGrad or OpKind.SigmoidGrad
        or OpKind.Fill or OpKind.Constant;

    /// <summary>
    /// Ops so cheap (a broadcast scalar) that fusion recomputes them inside every loop that
    /// reads them rather than write them to memory once.
    /// </summary>
    public static bool IsRecomputable(this OpKind op) => op is OpKind.Fill or OpKind.Constant;

    /// <summary>Values that live outside the workspace: inputs and parameters.</summary>
    public static bool IsLeaf(this OpKind op) => op is OpKind.Input or OpKind.LabelsInput or OpKind.Parameter;
}
