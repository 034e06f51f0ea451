using System.Globalization;

namespace AotNet;

/// <summary>
/// A group's hyperparameters as <c>group.{g}.{name}</c> scalars: the part of a saved state that
/// PyTorch keeps in <c>param_groups</c>. Absent keys are null overrides.
/// </summary>
sealed class GroupHyperparameters
{
    // Keyed by PyTorch's names so a state reads like a state_dict; booleans are 0 or 1.
    public static readonly string[] Names = ["lr", "initial_lr", "weight_decay", "momentum", "dampening", "nesterov", "beta1", "beta2", "eps", "amsgrad", "alpha", "centered"];

    readonly double?[] _values = new double?[Names.Length];

    public static GroupHyperparameters Capture(ParameterGroup group) => new()
    {
        _values =
        {
            [0] = group.LearningRate, [1] = group.InitialLearningRate, [2] = group.WeightDecay, [3] = group.Momentum,
            [4] = group.Dampening, [5] = Flag(group.Nesterov), [6] = group.Beta1, [7] = group.Beta2, [8] = group.Eps,
            [9] = Flag(group.Amsgrad), [10] = group.Alpha, [11] = Flag(group.Centered),
        },
    };

    /// <summary>True when the state set <paramref name="name"/> for this group.</summary>
    public bool Has(string name) => _values[Array.IndexOf(Names, name)] is not null;

    /// <summary>Sets every hyperparameter of <paramref name="group"/>, absent ones to null; the values were checked by <see cref="Read"/>.</summary>
    public void ApplyTo(ParameterGroup group)
    {
        // Unchecked: a rate a schedule set may be below zero, and Read has applied the right rule already.
        group.RestoreLearningRate(_values[0]);
        group.InitialLearningRate = _values[1];
        group.WeightDecay = _values[2];
        group.Momentum = _values[3];
        group.Dampening = _values[4];
        group.Nesterov = Bool(5);
        group.Beta1 = _values[6];
        group.Beta2 = _values[7];
        group.Eps = _values[8];
        group.Amsgrad = Bool(9);
        group.Alpha = _values[10];
        group.Centered = Bool(11);
    }

    public void Save(int g, IDictionary<string, double> scalars)
    {
        for (int k = 0; k < Names.Length; k++)
        {
            if (_values[k] is { } value)
            {
                scalars.Add(Key(g, Names[k]), value);
            }
        }
    }

    /// <summary>
    /// Reads group <paramref name="g"/>'s keys, checking each value with the constructors' rules
    /// (<see cref="HyperparameterRules"/>) as the optimizer uses it (in double, as typed).
    /// With <paramref name="scheduled"/>, the learning rate is a schedule's and need only be finite.
    /// </summary>
    public static GroupHyperparameters Read(int g, IReadOnlyDictionary<string, double> scalars, StateFaults faults, bool scheduled)
    {
        var result = new GroupHyperparameters();
        string prefix = string.Create(CultureInfo.InvariantCulture, $"group.{g}.");
        foreach (var (key, value) in scalars)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || key == prefix + "params")
            {
                continue;
            }
            string name = key[prefix.Length..];
            int k = Array.IndexOf(Names, name);
            if (k < 0)
            {
                throw faults.Key(key, $"is not a known group hyperparameter ({string.Join(", ", Names)})");
            }
            double used = value;
            string? rule = scheduled && name == HyperparameterRules.LearningRate
                ? HyperparameterRules.ScheduledRateViolation(used)
                : HyperparameterRules.Violation(name, used);
            if (rule is not null)
            {
                throw faults.Key(key, $"is {value.ToString(CultureInfo.InvariantCulture)}; it must be {rule}");
            }
            result._values[k] = value;
        }
        return result;
    }

    public static string Key(int g, string name) => string.Create(CultureInfo.InvariantCulture, $"group.{g}.{name}");

    static bool IsFlag(int k) => Names[k] is "nesterov" or "amsgrad" or "centered";

    static double? Flag(bool? value) => value is { } b ? (b ? 1 : 0) : null;

    bool? Bool(int k) => _values[k] is { } v ? v != 0 : null;
}
