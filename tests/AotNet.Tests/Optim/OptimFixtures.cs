using System.Text.Json;
using AotNet.Tests.Support;

namespace AotNet.Tests.Optim;

/// <summary>Fixtures/Optim/Trajectories.json, written by tests/fixtures/make_optim_fixtures.py.</summary>
sealed record TrajectoryFixture(int Steps, TensorData X, TensorData Target, TensorData Weight, TensorData Bias, OptimizerCase[] Optimizers)
{
    public static TrajectoryFixture Load() => FixtureFiles.Load<TrajectoryFixture>("Optim/Trajectories.json");
}

/// <summary>One optimizer: its kind, defaults and per-group overrides in PyTorch's key names.</summary>
sealed record OptimizerCase(string Name, string Kind, Dictionary<string, JsonElement> Defaults, Dictionary<string, JsonElement>[] Groups, TrajectoryCheckpoint[] Checkpoints)
{
    public override string ToString() => Name;
}

sealed record TrajectoryCheckpoint(int Step, float[][] Params);

/// <summary>Fixtures/Optim/Schedules.json: rates (and cycled momentum) per epoch, from epoch 0.</summary>
sealed record ScheduleFixture(double[] GroupLrs, double SgdMomentum, ScheduleCase[] Schedules)
{
    public static ScheduleFixture Load() => FixtureFiles.Load<ScheduleFixture>("Optim/Schedules.json");
}

sealed record ScheduleCase(string Name, string Optimizer, double[][] Lrs, double[][] Momentum);

/// <summary>Fixtures/Optim/Clipping.json.</summary>
sealed record ClippingFixture(ClippingCase[] Cases)
{
    public static ClippingFixture Load() => FixtureFiles.Load<ClippingFixture>("Optim/Clipping.json");
}

sealed record ClippingCase(string Name, float MaxNorm, JsonElement NormType, TensorData[] Grads, float[][] Clipped, float TotalNorm)
{
    public float Norm => NormType.ValueKind == JsonValueKind.String ? float.PositiveInfinity : NormType.GetSingle();
}

/// <summary>Builds the optimizer a fixture case describes, as the Python script built it.</summary>
static class FixtureOptimizers
{
    public static Optimizer Create(string kind, IReadOnlyDictionary<string, JsonElement> defaults, ParameterGroup[] groups)
    {
        // Doubles, as the script passed them to PyTorch: the optimizer must see the value a user types.
        double F(string key, double fallback) => defaults.TryGetValue(key, out var v) ? v.GetDouble() : fallback;
        bool B(string key) => defaults.TryGetValue(key, out var v) && v.GetBoolean();
        return kind switch
        {
            "sgd" => new Sgd(groups, F("lr", 0), F("momentum", 0), F("dampening", 0), F("weight_decay", 0), B("nesterov")),
            "adam" => new Adam(groups, F("lr", 1e-3), F("beta1", 0.9), F("beta2", 0.999), F("eps", 1e-8), F("weight_decay", 0), B("amsgrad")),
            "adamw" => new AdamW(groups, F("lr", 1e-3), F("beta1", 0.9), F("beta2", 0.999), F("eps", 1e-8), F("weight_decay", 1e-2), B("amsgrad")),
            "rmsprop" => new RmsProp(groups, F("lr", 1e-2), F("alpha", 0.99), F("eps", 1e-8), F("weight_decay", 0), F("momentum", 0), B("centered")),
            _ => throw new InvalidDataException($"Unknown optimizer kind '{kind}'."),
        };
    }

    public static ParameterGroup Group(Parameter parameter, IReadOnlyDictionary<string, JsonElement> overrides)
    {
        var group = new ParameterGroup([parameter]);
        foreach (var (key, value) in overrides)
        {
            switch (key)
            {
                case "lr": group.LearningRate = value.GetDouble(); break;
                case "weight_decay": group.WeightDecay = value.GetDouble(); break;
                case "momentum": group.Momentum = value.GetDouble(); break;
                case "dampening": group.Dampening = value.GetDouble(); break;
                case "nesterov": group.Nesterov = value.GetBoolean(); break;
                case "beta1": group.Beta1 = value.GetDouble(); break;
                case "beta2": group.Beta2 = value.GetDouble(); break;
                case "eps": group.Eps = value.GetDouble(); break;
                case "amsgrad": group.Amsgrad = value.GetBoolean(); break;
                case "alpha": group.Alpha = value.GetDouble(); break;
                case "centered": group.Centered = value.GetBoolean(); break;
                default: throw new InvalidDataException($"Unknown group key '{key}'.");
            }
        }
        return group;
    }
}
