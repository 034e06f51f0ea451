using System.Globalization;
using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Contract;

/// <summary>One PyTorch fixture case of one binding: "Add.same_shape", or "op+Add.same_shape" through the operator.</summary>
public sealed record BoundCase(TableBinding Binding, FixtureCase Fixture)
{
    public string Name => $"{Binding.Key}.{Fixture.Name}";

    public string ClassName => $"{Binding.Identifier}_{Fixture.Name}";

    public override string ToString() => Name;
}

/// <summary>
/// For every binding of the op table and every case of its fixture, a generated model
/// <c>Forward(args…) => Op(args…)</c> and <c>Loss(args…, w) => Σ Op(args…) ⊙ w</c> with every
/// tensor argument [RequiresGrad]; all of them compiled once into one assembly.
/// </summary>
public static class FixtureModels
{
    static readonly Lazy<Assembly> Compiled = new(Compile);

    /// <summary>Every case of every binding that has a fixture (the contract tests fail the bindings that have none).</summary>
    public static IReadOnlyList<BoundCase> All { get; } = TableBinding.All
        .Where(b => File.Exists(OpFixtures.PathOf(b.Method)))
        .SelectMany(b => OpFixtures.Load(b.Method).Select(c => new BoundCase(b, c)))
        .ToList();

    public static TheoryData<string> Names() => new(All.Select(c => c.Name));

    public static FixtureRun Run(string name) => new(All.Single(c => c.Name == name), Compiled.Value);

    static Assembly Compile()
    {
        var source = new StringBuilder(GeneratorHarness.Prelude).Append("namespace Fixtures;\n\n");
        foreach (var bound in All)
        {
            source.Append(ModelSource(bound));
        }
        var run = GeneratorHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(stream.ToArray());
    }

    static string ModelSource(BoundCase bound)
    {
        var fixture = bound.Fixture;
        var forwardParameters = new List<string>();
        var lossParameters = new List<string>();
        var arguments = new List<string>();
        foreach (var arg in fixture.Args.Where(a => a.Kind != "none"))
        {
            if (arg.IsConstant)
            {
                // Constants are part of the static graph: written at the call, by name, where the generator reads them as attributes.
                arguments.Add($"{arg.Name}: {arg.Literal}");
                continue;
            }
            string shape = ShapeText(arg.Shape);
            forwardParameters.Add(arg.Kind == "labels" ? $"[Shape({shape})] Labels {arg.Name}" : $"[Shape({shape})] Tensor {arg.Name}");
            lossParameters.Add(arg.Kind == "labels" ? $"[Shape({shape})] Labels {arg.Name}"
                : arg.HasGradient ? $"[RequiresGrad, Shape({shape})] Tensor {arg.Name}" : $"[Shape({shape})] Tensor {arg.Name}");
            // A method takes no Mask argument, so a mask comes in as 1s and 0s and is compared back into one.
            arguments.Add(arg.Kind == "mask" ? $"{arg.Name}: Greater({arg.Name}, {arg.Name} * 0.5f)" : $"{arg.Name}: {arg.Name}");
        }
        lossParameters.Add($"[Shape({ShapeText(fixture.Output.Shape)})] Tensor gradWeight");
        string call = bound.Binding.Call(arguments);
        if (fixture.Pieces > 0)
        {
            // A method returns no Tensor[]: read each piece by its constant index, flattened, and join them, as the fixture records them.
            call = $"Concat([{string.Join(", ", Enumerable.Range(0, fixture.Pieces).Select(k => $"Flatten({call}[{k}], 0, -1)"))}], 0)";
        }
                if (bound.Binding.ReturnsMask)
        {
            // A method returns no Mask: read the comparison as 1s and 0s, which carry no gradient, as in PyTorch.
            string first = fixture.Args.First(a => a.Kind == "tensor").Name;
            call = $"Where({call}, {first} * 0f + 1f, {first} * 0f)";
        }
        if (bound.Binding.ReturnsLabels)
        {
            // Indices have no gradient (PyTorch's argmax has none either): inference only, read back as numbers.
            return $$"""
                public sealed partial class {{bound.ClassName}}
                {
                    [Differentiable]
                    public Labels Forward({{string.Join(", ", forwardParameters)}}) => {{call}};
                }


                """;
        }
        return $$"""
            public sealed partial class {{bound.ClassName}}
            {
                [Differentiable]
                public Tensor Forward({{string.Join(", ", forwardParameters)}}) => {{call}};

                [Differentiable]
                public Tensor Loss({{string.Join(", ", lossParameters)}}) => Sum(Mul({{call}}, gradWeight));
            }


            """;
    }

    static string ShapeText(int[] shape) => string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>The generated model of one fixture case with fresh copies of the fixture's inputs, and ways to run it.</summary>
public sealed class FixtureRun
{
    readonly object _model;
    readonly Type _type;
    readonly List<object> _modelArguments = [];

    public FixtureRun(BoundCase bound, Assembly assembly)
    {
        Case = bound;
        _type = assembly.GetType("Fixtures." + bound.ClassName, throwOnError: true)!;
        _model = Activator.CreateInstance(_type)!;
        var callArguments = new List<object?>();
        var targets = new List<GradTarget>();
        var parameters = bound.Binding.Parameters(bound.Fixture);
        foreach (var (arg, slot) in bound.Fixture.Args.Select((a, i) => (a, i)))
        {
            object? value = arg.Kind switch
            {
                "none" => null,
                "const" or "scalar" => arg.ConstantAs(parameters[slot].ParameterType),
                "labels" => new Labels(arg.Data.Select(v => (int)v).ToArray(), arg.Shape),
                "mask" => new Mask(arg.Data.Select(v => v != 0f).ToArray(), arg.Shape),
                _ => new Tensor(arg.Data.ToArray(), arg.Shape),
            };
            callArguments.Add(value);
            if (arg.Kind == "mask")
            {
                _modelArguments.Add(new Tensor(arg.Data.ToArray(), arg.Shape));
            }
            else if (value is not null && !arg.IsConstant)
            {
                _modelArguments.Add(value);
            }
            if (value is Tensor tensor && arg.HasGradient)
            {
                var grad = new Tensor(arg.Shape);
                grad.Span.Fill(float.NaN);
                targets.Add(new GradTarget(arg.Name, tensor, grad));
            }
        }
        CallArguments = callArguments;
        Targets = targets;
        GradWeight = new Tensor(bound.Fixture.GradWeight.Data.ToArray(), bound.Fixture.GradWeight.Shape);
    }

    public BoundCase Case { get; }

    /// <summary>The arguments of the F method, in its parameter order: null where the fixture leaves an optional tensor out, constants as F takes them.</summary>
    public IReadOnlyList<object?> CallArguments { get; }

    /// <summary>Each tensor argument with the buffer the generated step writes its gradient into (NaN until then).</summary>
    public IReadOnlyList<GradTarget> Targets { get; }

    public Tensor GradWeight { get; }

    /// <summary>The generated training step; writes every input gradient into <see cref="Targets"/>.</summary>
    public float Step() => (float)Invoke("LossStep", [.. _modelArguments, GradWeight, .. Targets.Select(t => t.Grad)]);

    /// <summary>The user's Loss method run eagerly, as written.</summary>
    public float EagerLoss() => ((Tensor)Invoke("Loss", [.. _modelArguments, GradWeight])).Item();

    /// <summary>The generated inference method for <c>Op(args…)</c>.</summary>
    public Tensor ForwardCompiled() => TableBinding.AsTensor(Invoke("ForwardCompiled", [.. _modelArguments]));

    /// <summary>The eager runtime's F method (or Tensor operator), called directly.</summary>
    public Tensor Eager() => Case.Binding.Eager(CallArguments, Case.Fixture);

    /// <summary>The test-side naive reference in double precision, where the op has one (see <see cref="OpContractTests.BindingHasANaiveReference"/>).</summary>
    public NaiveTensor? Naive() => NaiveReference.Ops.TryGetValue(Case.Binding.Method, out var reference) ? reference(CallArguments) : null;

    object Invoke(string method, object[] arguments)
    {
        try
        {
            return InMemoryModels.Invoke(_type.GetMethod(method)!, _model, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
