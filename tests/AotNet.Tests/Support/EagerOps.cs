using System.Reflection;

namespace AotNet.Tests.Support;

/// <summary>
/// Calls each tensor method of <see cref="F"/> with the arguments of a fixture case, matched by
/// parameter name, so a new op needs no invoker here. A case may leave out trailing optional
/// parameters (they take their defaults); otherwise a case whose argument names do not match the
/// method's parameters fails loudly, as a renamed parameter should. Overloads of one name are told
/// apart by the case's parameter names (F.Pow's tensor and constant exponents) and by the kinds of
/// its arguments (a method taking labels or probabilities). A mask result is read as 1s and 0s, and
/// the pieces of a split are flattened and joined, as the fixture records them.
/// </summary>
static class EagerOps
{
    /// <summary>The public methods of F that return a Tensor, a Mask, Labels or pieces (a Tensor[], read flattened and joined), by name, with every overload.</summary>
    public static readonly IReadOnlyDictionary<string, MethodInfo[]> ByName = typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Where(m => m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(Mask) || m.ReturnType == typeof(Labels) || m.ReturnType == typeof(Tensor[]))
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Runs <paramref name="op"/> on the case's arguments, with some tensors swapped by name through <paramref name="replace"/>.</summary>
    public static Tensor Run(string op, OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace = null)
    {
        var candidates = ByName[op].Where(m => Fits(m, testCase)).ToList();
        Assert.True(candidates.Count == 1,
            $"F.{op} has {(candidates.Count == 0 ? "no overload" : "more than one overload")} with parameters ({string.Join(", ", testCase.Args.Select(a => a.Name))})");
        var method = candidates[0];
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
                : argument.ToArgument(parameter.ParameterType);
        }).ToArray();
        try
        {
            return method.Invoke(null, arguments) switch
            {
                Mask mask => mask.ToTensor(),
                Labels labels => Tensor.FromArray(labels.Span.ToArray().Select(v => (float)v).ToArray(), labels.Shape.ToArray()),
                Tensor[] pieces => F.Concat(pieces.Select(p => p.Reshape(-1)).ToArray(), 0),
                var result => (Tensor)result!,
            };
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
