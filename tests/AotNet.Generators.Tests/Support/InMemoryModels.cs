using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Support;

/// <summary>Generates, compiles and loads a model source in memory, for tests that must run what the generator wrote.</summary>
public static class InMemoryModels
{
    /// <summary>The loaded assembly; fails the test on any generator diagnostic or compiler error or warning.</summary>
    public static Assembly Build(string source)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, string.Join("\n", run.GeneratorDiagnostics));
        using var stream = new MemoryStream();
        // Optimised, as users ship it: the allocation tests measure what a Release build does.
        var emitted = run.Output.WithOptions(run.Output.Options.WithOptimizationLevel(OptimizationLevel.Release)).Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success && problems.Count == 0, string.Join("\n", problems));
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>A new instance of type <paramref name="name"/> from <paramref name="assembly"/>.</summary>
    public static dynamic New(Assembly assembly, string name) => Activator.CreateInstance(assembly.GetType(name, throwOnError: true)!)!;

    /// <summary>
    /// Invokes <paramref name="method"/>, leaving the optional parameters the arguments do not
    /// reach (a step's <c>GradientWrite</c>) at their defaults, as a C# call does.
    /// </summary>
    public static object? Invoke(MethodInfo method, object? target, params object?[] arguments)
    {
        int count = method.GetParameters().Length;
        return method.Invoke(target, count > arguments.Length ? [.. arguments, .. Enumerable.Repeat(Type.Missing, count - arguments.Length)] : arguments);
    }

    /// <summary>Calls <paramref name="method"/> on <paramref name="model"/>, rethrowing what the method threw rather than reflection's wrapper.</summary>
    public static object? Call(object model, string method, params object[] arguments)
    {
        try
        {
            return Invoke(model.GetType().GetMethod(method)!, model, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
