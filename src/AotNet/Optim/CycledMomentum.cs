namespace AotNet;

/// <summary>The hyperparameter a one-cycle schedule moves opposite to the learning rate.</summary>
enum CycledMomentum
{
    /// <summary>The optimizer has no momentum to cycle.</summary>
    None,

    /// <summary><see cref="ParameterGroup.Momentum"/> (SGD, RMSprop).</summary>
    Momentum,

    /// <summary><see cref="ParameterGroup.Beta1"/> (Adam, AdamW).</summary>
    Beta1,
}
