namespace AotNet;

/// <summary>How <see cref="OneCycleLR"/> moves between the ends of a phase (PyTorch's <c>anneal_strategy</c>).</summary>
public enum OneCycleAnnealing
{
    /// <summary>Half a cosine, PyTorch's default.</summary>
    Cos,

    /// <summary>A straight line.</summary>
    Linear,
}
