using AotNet.Generators.Graph;

namespace AotNet.Generators.Ops;

/// <summary>What a table entry's kernel rule may use to write its step: value names, shapes, the epilogue, and the writer.</summary>
internal interface IKernelWriter
{
    /// <summary>The span local that holds <paramref name="value"/>.</summary>
    string Code(int value);

    /// <summary>The user's name for <paramref name="value"/>, for comments.</summary>
    string Display(int value);

    Node NodeOf(int value);

    /// <summary>The span local of output <paramref name="index"/> of the node being written.</summary>
    string Output(int index);

    /// <summary>The bias an epilogue host adds, if fusion gave it one.</summary>
    int? Bias { get; }

    /// <summary>The activation an epilogue host applies, if fusion gave it one.</summary>
    string? Activation { get; }

    /// <summary>
    /// The bool expression that is true when the step adds its result to its output (a gradient
    /// the caller accumulates) instead of overwriting it; null when the output is no gradient.
    /// Only kernels whose op declares <see cref="OpDef.Accumulates"/> see it set.
    /// </summary>
    string? Accumulate { get; }

    /// <summary>True in a training step (which keeps its state in the model and runs one call at a time), false in an inference path.</summary>
    bool InStep { get; }

    /// <summary>The loop index local.</summary>
    string Index { get; }

    /// <summary>Writes the comment (the math, the shape and how it is computed) that heads the step.</summary>
    void Comment(string math, string how);

    void Line(string line);

    void Open(string line);

    void Close();
}
