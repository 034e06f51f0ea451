using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// Emits the members of one <c>[Differentiable]</c> method: <c>{Method}Compiled</c>, the
/// inference path, and, for a scalar result, <c>{Method}Step</c>, the training step.
/// </summary>
internal static class ModelEmitter
{
    const string Guard = "global::AotNet.Compiled.ShapeGuard.";

    public static GeneratedFile Emit(ModelSpec model)
    {
        var writer = TypeScope.Begin(model.Type);
        EmitMethod(writer, model, Planner.PlanInference(model.Graph), training: false);
        if (model.Graph.Nodes[model.Graph.Output].Shape.Rank == 0)
        {
            writer.Line();
            EmitMethod(writer, model, Planner.PlanTraining(model.Graph), training: true);
        }
        return new GeneratedFile($"{model.Type.HintPrefix}.{model.MethodName}.g.cs", TypeScope.End(writer, model.Type));
    }

    static void EmitMethod(SourceWriter writer, ModelSpec model, MethodPlan plan, bool training)
    {
        var graph = model.Graph;
        string member = model.MethodName + (training ? "Step" : "Compiled");
        string field = "_" + char.ToLowerInvariant(member[0]) + member.Substring(1) + "Workspace";
        var reads = new HashSet<int>(plan.Steps.SelectMany(s => s.Reads));

        writer.Line($"private global::AotNet.Compiled.Workspace? {field};");
        writer.Line();
        WriteDocumentation(writer, model, plan, training);
        var parameters = graph.Inputs.Select(i => (i.IsLabels ? "global::AotNet.Labels " : "global::AotNet.Tensor ") + i.Name).ToList();
        if (training)
        {
            parameters.AddRange(graph.Inputs.Where(i => i.RequiresGrad).Select(i => $"global::AotNet.Tensor {i.Name}Grad"));
        }
        writer.Open($"{model.Accessibility} {(training ? "float" : "global::AotNet.Tensor")} {member}({string.Join(", ", parameters)})");

        var symbols = WriteInputChecks(writer, graph);
        foreach (var requirement in graph.Requirements)
        {
            writer.Line($"{Guard}Equal({requirement.Left.Code}, {requirement.Right.Code}, {Literals.String(requirement.Left.Code)}, {Literals.String(requirement.Right.Code)}, {Literals.String(requirement.Message)});");
        }
        var locals = LocalNames.Avoiding(graph.Inputs.Select(i => i.Name).Concat(symbols.Keys));
        WriteParameterChecks(writer, graph, plan, reads);
        WriteExternalSpans(writer, graph, plan, reads, training, locals);

        var names = new ValueNames(graph, plan, Reserved(graph, symbols, locals));
        writer.Line($"var {locals.Workspace} = this.{field} ??= new global::AotNet.Compiled.Workspace({plan.Memory.SlotCount});");
        for (int slot = 0; slot < plan.Memory.SlotCount; slot++)
        {
            writer.Line($"int slot{slot} = {MaxOf(plan.Memory.SlotLengths[slot])};");
        }
        writer.Line();

        var steps = new StepEmitter(plan.Nodes, names, writer, locals.Index);
        foreach (var step in plan.Steps)
        {
            var declarations = new List<string>();
            foreach (int value in step.Writes)
            {
                var storage = plan.Memory.Storage[value];
                if (storage.Kind != StorageKind.Slot)
                {
                    continue;
                }
                var type = plan.Nodes[value].Outputs[0];
                string slot = $"{locals.Workspace}.Slot";
                string span = type.DType == DType.Float32
                    ? $"{slot}({storage.Slot}, slot{storage.Slot})" + (plan.Memory.SlotLengths[storage.Slot].Count == 1 ? "" : $".Slice(0, {type.Shape.LengthCode})")
                    : $"{slot}<{type.ElementCode}>({storage.Slot}, slot{storage.Slot}, {type.Shape.LengthCode})";
                declarations.Add($"global::System.Span<{type.ElementCode}> {names.Code(value)} = {span};");
            }
            steps.Emit(step, declarations);
        }
        writer.Line();
        writer.Line(training ? $"return {names.Code(plan.Output)}[0];" : $"return {locals.Result};");
        writer.Close();
    }

    static void WriteDocumentation(SourceWriter writer, ModelSpec model, MethodPlan plan, bool training)
    {
        var graph = model.Graph;
        writer.Line("/// <summary>");
        if (training)
        {
            var parameters = plan.Gradients.Where(g => g.Target == GradientTarget.Parameter).Select(g => graph.Parameters[g.Index].Name).ToList();
            var inputs = plan.Gradients.Where(g => g.Target == GradientTarget.Input).Select(g => graph.Inputs[g.Index].Name).ToList();
            var without = graph.Inputs.Where(i => !i.RequiresGrad).Select(i => i.Name).ToList();
            writer.Line($"/// Training step for <see cref=\"{model.MethodName}\"/>: forward, loss and backward in one pass. Returns the loss.");
            if (parameters.Count > 0)
            {
                writer.Line($"/// Overwrites the gradients of {string.Join(", ", parameters)}.");
            }
            if (inputs.Count > 0)
            {
                writer.Line($"/// Writes the gradients of {string.Join(", ", inputs)} to {string.Join(", ", inputs.Select(i => i + "Grad"))}.");
            }
            if (without.Count > 0)
            {
                writer.Line($"/// Computes no gradient for {string.Join(", ", without)}.");
            }
        }
        else
        {
            writer.Line($"/// Inference path for <see cref=\"{model.MethodName}\"/>: the same math, fused, keeping no activations.");
        }
        writer.Line("/// </summary>");
        writer.Line("/// <remarks>");
        writer.Line($"/// Workspace: {plan.Memory.SlotCount} buffer(s) of {string.Join(", ", plan.Memory.SlotLengths.Select(l => l.Count == 1 ? l[0].Code : $"max({string.Join(", ", l.Select(d => d.Code))})"))} floats, allocated on the first call for each size and then reused.");
        writer.Line("/// Not thread-safe: give each thread its own model.");
        writer.Line("/// </remarks>");
    }

    /// <summary>Checks every input against its declared shape and binds symbolic dimensions from the first input that has them.</summary>
    static Dictionary<string, string> WriteInputChecks(SourceWriter writer, GraphSpec graph)
    {
        var boundBy = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            string declared = Literals.String(input.Shape.ToString());
            string name = Literals.String(input.Name);
            if (input.IsLabels)
            {
                var dim = input.Shape[0];
                if (dim.IsConstant)
                {
                    writer.Line($"{Guard}Length({input.Name}, {dim.Code}, {name}, {declared});");
                }
                else if (boundBy.TryGetValue(dim.Symbol!, out string? source))
                {
                    writer.Line($"{Guard}Symbol({input.Name}, {dim.Symbol}, {Literals.String(dim.Symbol!)}, {Literals.String(source)}, {name}, {declared});");
                }
                else
                {
                    writer.Line($"{Guard}Length({input.Name}, {input.Name}?.Length ?? 0, {name}, {declared});");
                    writer.Line($"int {dim.Symbol} = {input.Name}.Length;");
                    boundBy[dim.Symbol!] = input.Name;
                }
                continue;
            }
            writer.Line($"{Guard}Rank({input.Name}, {input.Shape.Rank}, {name}, {declared});");
            for (int axis = 0; axis < input.Shape.Rank; axis++)
            {
                var dim = input.Shape[axis];
                if (dim.IsConstant)
                {
                    writer.Line($"{Guard}Dim({input.Name}, {axis}, {dim.Code}, {name}, {declared});");
                }
                else if (boundBy.TryGetValue(dim.Symbol!, out string? source))
                {
                    writer.Line($"{Guard}Symbol({input.Name}, {axis}, {dim.Symbol}, {Literals.String(dim.Symbol!)}, {Literals.String(source)}, {name}, {declared});");
                }
                else
                {
                    writer.Line($"int {dim.Symbol} = {input.Name}.Dim({axis});");
                    boundBy[dim.Symbol!] = input.Name;
                }
            }
        }
        return boundBy;
    }

    static void WriteParameterChecks(SourceWriter writer, GraphSpec graph, MethodPlan plan, HashSet<int> reads)
    {
        foreach (var node in plan.Nodes.Where(n => n.Attributes is LeafAttributes { Kind: LeafKind.Parameter } && reads.Contains(n.Id)))
        {
            var parameter = graph.Parameters[((LeafAttributes)node.Attributes).Index];
            string dims = string.Join(", ", parameter.Shape.Dims.Select(d => d.Code));
            writer.Line($"{Guard}Parameter({parameter.Access}, {Literals.String(parameter.Name)}{(dims.Length > 0 ? ", " + dims : "")});");
        }
    }

    static void WriteExternalSpans(SourceWriter writer, GraphSpec graph, MethodPlan plan, HashSet<int> reads, bool training, LocalNames locals)
    {
        foreach (var node in plan.Nodes.Where(n => n.Op.IsLeaf && reads.Contains(n.Id)))
        {
            var leaf = (LeafAttributes)node.Attributes;
            if (leaf.Kind == LeafKind.Parameter)
            {
                var parameter = graph.Parameters[leaf.Index];
                writer.Line($"global::System.ReadOnlySpan<float> {Names.Identifier(parameter.Name)} = {parameter.Access}.Value.Span;");
            }
            else
            {
                var input = graph.Inputs[leaf.Index];
                string element = input.IsLabels ? "int" : "float";
                writer.Line($"global::System.ReadOnlySpan<{element}> {input.Name}Values = {input.Name}.Span;");
            }
        }
        foreach (var gradient in plan.Gradients)
        {
            string local = Planner.GradientValues(graph, gradient);
            if (gradient.Target == GradientTarget.Parameter)
            {
                writer.Line($"global::System.Span<float> {local} = {graph.Parameters[gradient.Index].Access}.Grad.Span;");
            }
            else
            {
                var input = graph.Inputs[gradient.Index];
                writer.Line($"{Guard}Gradient({input.Name}Grad, {input.Name}, {Literals.String(input.Name + "Grad")});");
                writer.Line($"global::System.Span<float> {local} = {input.Name}Grad.Span;");
            }
        }
        if (!training)
        {
            var shape = plan.Nodes[plan.Output].Shape;
            writer.Line($"var {locals.Result} = new global::AotNet.Tensor({string.Join(", ", shape.Dims.Select(d => d.Code))});");
            writer.Line($"global::System.Span<float> {Planner.ResultValues} = {locals.Result}.Span;");
        }
    }

    static IEnumerable<string> Reserved(GraphSpec graph, Dictionary<string, string> symbols, LocalNames locals) =>
        graph.Inputs.SelectMany(i => new[] { i.Name, i.Name + "Values", i.Name + "Grad", i.Name + "GradValues" })
            .Concat(symbols.Keys)
            .Concat(graph.Parameters.SelectMany(p => new[] { Names.Identifier(p.Name), Names.Identifier(p.Name) + "_grad" }))
            .Concat(new[] { locals.Workspace, locals.Result, Planner.ResultValues, locals.Index })
            .Concat(Enumerable.Range(0, 64).Select(i => "slot" + i));

    static string MaxOf(IReadOnlyList<Dim> lengths) => lengths.Count == 1
        ? lengths[0].Code
        : lengths.Skip(1).Aggregate(lengths[0].Code, (max, next) => $"global::System.Math.Max({max}, {next.Code})");
}
