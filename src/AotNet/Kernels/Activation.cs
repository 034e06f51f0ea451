namespace AotNet.Kernels;

/// <summary>An activation applied in the epilogue of a kernel, while the output is still in registers.</summary>
public enum Activation
{
    /// <summary>No activation.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,
}
