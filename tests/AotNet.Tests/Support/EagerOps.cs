using System.Reflection;

namespace AotNet.Tests.Support;

/// <summary>
/// Calls each tensor method of <see cref="F"/> with the arguments of a fixture case, matched by
/// parameter name, so a new op needs no invoker here. A case may leave out trailing optional
/// parameters (they take their defaults); otherwise a case whose argument names do not match the
/// method's parameters fails loudly, as a renamed parameter should. Overloads of one name (a
/// method taking labels or probabilities) are told apart by the kinds of the case's arguments.
/// </summary>
static class EagerOps
{
    /// <summary>The tensor-returning public methods of F, by name (each overload of a name).</summary>
    public static readonly IReadOnlyDictionary<string, MethodInfo[]> ByName = typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Where(m => m.ReturnType == typeof(Tensor))
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Runs <paramref name="op"/> on the case's arguments, with some tensors swapped by name through <paramref name="replace"/>.</summary>
    public static Tensor Run(string op, OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace = null)
    {
        var method = ByName[op].Single(m => Fits(m, testCase));
        var parameters = method.GetParameters();
        var arguments = parameters.Select((parameter, slot) =>
        {
            if (slot >= testCase.Args.Length)
            {
                return parameter.DefaultValue;
            }
            var argument = testCase.Args[slot];
            return replace is not null && replace.TryGetValue(argument.Name, out var tensor)
                ? tensor
                : argument.Kind switch
                {
                    "labels" => (object?)argument.ToLabels(),
                    "none" => null,
                    "const" => argument.ToConstant(parameter.ParameterType),
                    _ => argument.ToTensor(),
                };
        }).ToArray();
        try
        {
            return (Tensor)method.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>The case names the method's parameters in order, leaves out only optional ones, and passes labels where it takes labels.</summary>
    static bool Fits(MethodInfo method, OpCase testCase)
    {
        var parameters = method.GetParameters();
        if (testCase.Args.Length > parameters.Length || parameters.Skip(testCase.Args.Length).Any(p => !p.IsOptional))
        {
            return false;
        }
        return testCase.Args.Select((a, i) => a.Name == parameters[i].Name && (a.Kind == "labels") == (parameters[i].ParameterType == typeof(Labels))).All(x => x);
    }
}
