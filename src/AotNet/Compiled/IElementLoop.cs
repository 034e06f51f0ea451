namespace AotNet.Compiled;

/// <summary>
/// A generated elementwise loop: <see cref="Run"/> computes elements [start, end) of its output,
/// each from the same element of its inputs (or from values shared by every element), so any
/// split of the range into pieces computes the same floats. Generated code implements it with a
/// <c>ref struct</c> holding the loop's spans and hands it to <see cref="ParallelLoop.For"/>.
/// </summary>
public interface IElementLoop
{
    /// <summary>Computes elements [<paramref name="start"/>, <paramref name="end"/>) of the loop's output.</summary>
    void Run(int start, int end);
}
