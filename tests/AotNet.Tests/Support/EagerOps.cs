using System.Reflection;

namespace AotNet.Tests.Support;

/// <summary>
/// Calls each tensor method of <see cref="F"/> with the arguments of a fixture case, matched by
/// parameter name, so a new op needs no invoker here. Overloads (F.Pow's tensor and constant
/// exponents) are told apart by their parameter names. A case whose argument names or count do
/// not match any overload fails loudly, as a renamed parameter should. A mask result is read as 1s and 0s.
/// </summary>
static class EagerOps
{
    /// <summary>The public methods of F that return a Tensor or a Mask, by name, with every overload.</summary>
    public static readonly IReadOnlyDictionary<string, MethodInfo[]> ByName = typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Where(m => m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(Mask))
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Runs <paramref name="op"/> on the case's arguments, with some tensors swapped by name through <paramref name="replace"/>.</summary>
    public static Tensor Run(string op, OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace = null)
    {
        var names = testCase.Args.Select(a => a.Name).ToArray();
        var method = ByName[op].SingleOrDefault(m => m.GetParameters().Select(p => p.Name).SequenceEqual(names));
        Assert.True(method is not null, $"F.{op} has no overload with parameters ({string.Join(", ", names)})");
        var parameters = method.GetParameters();
        var arguments = testCase.Args.Select((argument, i) => replace is not null && replace.TryGetValue(argument.Name, out var tensor)
            ? tensor
            : argument.ToArgument(parameters[i].ParameterType)).ToArray();
        try
        {
            return method.Invoke(null, arguments) switch
            {
                Mask mask => mask.ToTensor(),
                var result => (Tensor)result!,
            };
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
