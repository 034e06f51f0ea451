using System.Collections.Generic;

namespace AotNet.Generators.Ops;

/// <summary>
/// The op table: every primitive the generator knows, one entry each, grouped by family in the
/// files of this folder. Parsing, shape inference, autodiff, fusion and emission read these
/// entries; no code outside this folder asks which op a node is.
/// </summary>
internal static partial class OpTable
{
    /// <summary>Every entry, for the docs and the contract tests.</summary>
    public static IReadOnlyList<OpDef> All => _all ??=
    [
        Input, Labels, Parameter, Constant, Size, Copy, Expand, Output,
        Add, Sub, Mul, Div, Neg, Relu, Tanh, Sigmoid, Exp, GreaterThan, Where,
        Sum, Mean,
        MatMul,
        LogSoftmax,
        CrossEntropy, CrossEntropyBackward,
    ];

    static IReadOnlyList<OpDef>? _all;
}
