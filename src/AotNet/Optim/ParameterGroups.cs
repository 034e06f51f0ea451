namespace AotNet;

/// <summary>Ways to split a model's parameters into <see cref="ParameterGroup"/>s.</summary>
public static class ParameterGroups
{
    /// <summary>
    /// Two groups, the usual split for AdamW and friends: first the weights that decay, then
    /// biases and normalisation parameters with <see cref="ParameterGroup.WeightDecay"/> = 0. A
    /// parameter gets no decay when it has rank 1 (biases, norm scales and shifts) or its name ends
    /// in <c>.bias</c>. The first group's decay is <paramref name="weightDecay"/>, or the optimizer's
    /// default when null. Either group may be empty.
    /// </summary>
    public static ParameterGroup[] SplitWeightDecay(IEnumerable<KeyValuePair<string, Parameter>> namedParameters, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in namedParameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, name);
            bool exempt = parameter.Value.Rank <= 1 || name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);
            (exempt ? noDecay : decay).Add(parameter);
        }
        return [new ParameterGroup(decay) { WeightDecay = weightDecay }, new ParameterGroup(noDecay) { WeightDecay = 0 }];
    }

    /// <summary>The same split over <see cref="Module.NamedParameters"/>.</summary>
    public static ParameterGroup[] SplitWeightDecay(Module module, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        return SplitWeightDecay(module.NamedParameters(), weightDecay);
    }
}
