namespace AotNet.Generators.Tests.Support;

/// <summary>The test models' forward passes composed from <see cref="NaiveReference"/>, reading a module's parameters by name.</summary>
public static class NaiveModels
{
    /// <summary>The Linear layer <paramref name="prefix"/> (its "weight" and, when present, "bias") applied to x.</summary>
    public static NaiveTensor Linear(Module module, string prefix, NaiveTensor x)
    {
        var parameters = module.NamedParameters().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var weight = NaiveTensor.Of(parameters[prefix + ".weight"].Value);
        var bias = parameters.TryGetValue(prefix + ".bias", out var b) ? NaiveTensor.Of(b.Value) : null;
        return NaiveReference.Linear(x, weight, bias);
    }

    /// <summary>Models.Mlp: fc3(relu(fc2(relu(fc1(x))))).</summary>
    public static NaiveTensor MlpLogits(Module mlp, Tensor x) =>
        Linear(mlp, "fc3", NaiveReference.Relu(Linear(mlp, "fc2", NaiveReference.Relu(Linear(mlp, "fc1", NaiveTensor.Of(x))))));

    /// <summary>Models.SubmoduleModel: head(tanh(block.fc(x))).</summary>
    public static NaiveTensor SubmoduleLogits(Module model, Tensor x) =>
        Linear(model, "head", NaiveReference.Tanh(Linear(model, "block.fc", NaiveTensor.Of(x))));

    /// <summary>Models.SoftmaxModel's classifier: classifier(x).</summary>
    public static NaiveTensor ClassifierLogits(Module model, Tensor x) => Linear(model, "classifier", NaiveTensor.Of(x));
}
