namespace AotNet.Compiled;

/// <summary>Support for generated training steps: the parameters of a model that a step's graph never reads.</summary>
public static class StepParameters
{
    /// <summary>
    /// Every parameter of <paramref name="model"/> that is not in <paramref name="written"/>. A
    /// step overwrites every gradient of the model, so it gives these a zero gradient; the
    /// generated code computes this list once and keeps it.
    /// </summary>
    public static Parameter[] NotIn(Module model, params Parameter[] written)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(written);
        var seen = new HashSet<Parameter>(written, ReferenceEqualityComparer.Instance);
        return model.Parameters().Where(p => !seen.Contains(p)).ToArray();
    }
}
