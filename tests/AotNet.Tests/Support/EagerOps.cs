using System.Reflection;

namespace AotNet.Tests.Support;

/// <summary>
/// Calls each tensor method of <see cref="F"/> with the arguments of a fixture case, matched by
/// parameter name, so a new op needs no invoker here. A case whose argument names or count do
/// not match the method's parameters fails loudly, as a renamed parameter should.
/// </summary>
static class EagerOps
{
    /// <summary>The tensor-returning public methods of F, by name.</summary>
    public static readonly IReadOnlyDictionary<string, MethodInfo> ByName = typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Where(m => m.ReturnType == typeof(Tensor))
        .ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>Runs <paramref name="op"/> on the case's arguments, with some tensors swapped by name through <paramref name="replace"/>.</summary>
    public static Tensor Run(string op, OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace = null)
    {
        var method = ByName[op];
        var parameters = method.GetParameters();
        Assert.Equal(parameters.Select(p => p.Name), testCase.Args.Select(a => a.Name));
        var arguments = testCase.Args.Select(argument => replace is not null && replace.TryGetValue(argument.Name, out var tensor)
            ? tensor
            : argument.Kind switch
            {
                "labels" => (object?)argument.ToLabels(),
                "none" => null,
                _ => argument.ToTensor(),
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
}
