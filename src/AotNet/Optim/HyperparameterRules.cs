namespace AotNet;

/// <summary>
/// The one statement of what each hyperparameter may be, keyed by PyTorch's name. Constructors,
/// setters and state loading all check through here, so a value a constructor refuses cannot
/// arrive through a checkpoint instead.
/// </summary>
/// <remarks>
/// The rules are PyTorch's (<c>not 0.0 &lt;= lr</c> and so on, negated so NaN fails) with one
/// addition: infinities are refused too, since no finite training survives them.
/// </remarks>
static class HyperparameterRules
{
    public const string LearningRate = "lr";

    /// <summary>What <paramref name="value"/> must be for <paramref name="name"/>, or null when it is allowed.</summary>
    public static string? Violation(string name, double value) => name switch
    {
        "lr" or "initial_lr" or "weight_decay" or "momentum" or "eps" or "alpha" =>
            value >= 0 && double.IsFinite(value) ? null : "a finite number >= 0",
        "dampening" => double.IsFinite(value) ? null : "a finite number",
        "beta1" or "beta2" => value >= 0 && value < 1 ? null : "in [0, 1)",
        "nesterov" or "amsgrad" or "centered" => value is 0 or 1 ? null : "0 or 1 (a boolean)",
        _ => "a hyperparameter some optimizer uses",
    };

    /// <summary>
    /// A rate a schedule set may be negative, as PyTorch's linear one-cycle is at its end; it must
    /// still be a finite number.
    /// </summary>
    public static string? ScheduledRateViolation(double value) => double.IsFinite(value) ? null : "a finite number";

    /// <summary>Throws the constructors' exception when <paramref name="value"/> breaks <paramref name="name"/>'s rule.</summary>
    /// <param name="name">PyTorch's name of the hyperparameter, such as <c>beta1</c>.</param>
    /// <param name="value">The value given.</param>
    /// <param name="where">Where it was given, such as <c>" in group 1"</c>, or empty.</param>
    /// <param name="parameterName">The argument that carried it.</param>
    public static void Check(string name, double value, string where, string parameterName)
    {
        if (Violation(name, value) is { } rule)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Invalid {Describe(name)}{where}: {value}. It must be {rule}.");
        }
    }

    static string Describe(string name) => name switch
    {
        "lr" => "learning rate",
        "initial_lr" => "initial learning rate",
        "weight_decay" => "weight decay value",
        "momentum" => "momentum value",
        "dampening" => "dampening",
        "eps" => "epsilon value",
        "alpha" => "alpha value",
        "beta1" => "beta parameter at index 0",
        "beta2" => "beta parameter at index 1",
        _ => name,
    };
}
