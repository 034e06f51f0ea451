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
        try
        {
            return EmitModel(model);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // Reported as AOTNET0013 at the method; the other models still get their code.
            return new GeneratedFile($"{model.Type.HintPrefix}.{model.MethodName}.g.cs", "", $"{exception.GetType().Name}: {exception.Message}", model.MethodName, model.Method);
        }
    }

    static GeneratedFile EmitModel(ModelSpec model)
    {
        var writer = TypeScope.Begin(model.Type);
        EmitMember(writer, model, training: false);
        // A step needs a float scalar to differentiate; integer results (labels) get inference only.
        if (model.Graph.Nodes[model.Graph.Output].Shape.Rank == 0 && model.Graph.Nodes[model.Graph.Output].DType == DType.Float32)
        {
            writer.Line();
            EmitMember(writer, model, training: true);
        }
        foreach (var body in model.Graph.Loops)
        {
            writer.Line();
            LoopEmitter.Emit(writer, model, body);
        }
        return new GeneratedFile($"{model.Type.HintPrefix}.{model.MethodName}.g.cs", TypeScope.End(writer, model.Type));
    }

    internal static MethodPlan Plan(GraphSpec graph, bool training) => training
        ? Planner.PlanTraining(graph, ValueNames.GradientWriteParameter(graph) + ".Scale")
        : Planner.PlanInference(graph);

    /// <summary>
    /// One generated member. A method that branches on values known only at run time gets one
    /// private method per combination, and a member that calls the one for the values it finds.
    /// </summary>
    static void EmitMember(SourceWriter writer, ModelSpec model, bool training)
    {
        string member = model.MethodName + (training ? "Step" : "Compiled");
        if (model.Variants.Count == 0)
        {
            EmitMethod(writer, model, model.Graph, Plan(model.Graph, training), training, member, model.Accessibility, note: null);
            return;
        }
        Signature? call = null;
        var names = new List<string>();
        foreach (var variant in model.Variants)
        {
            string name = member + VariantName(model.Conditions, variant.Values);
            string mode = string.Join(", ", model.Conditions.Select((c, k) => c.IsTraining ? (variant.Values[k] ? "in training mode" : "in evaluation mode") : $"{c.Access} = {(variant.Values[k] ? "true" : "false")}"));
            var signature = EmitMethod(writer, model, variant.Graph, Plan(variant.Graph, training), training, name, "private", $"Compiled for {mode}.");
            call ??= signature;
            names.Add(name);
            writer.Line();
        }
        writer.Line("/// <summary>");
        writer.Line($"/// {(training ? "Training step" : "Inference path")} for <see cref=\"{model.MethodName}\"/>: runs the variant compiled for what decides its branches,");
        writer.Line($"/// {string.Join(", ", model.Conditions.Select(c => c.IsTraining ? "the model's Training flag" : c.Access))}, as it is when called.");
        writer.Line("/// </summary>");
        writer.Open($"{model.Accessibility} {ReturnType(model.Graph, training)} {member}({string.Join(", ", call!.Declarations)})");
        foreach (var flag in model.ModeFlags.Where(f => f.Access != "this"))
        {
            // Each variant holds the branches of one mode for every module it reads.
            writer.Line($"global::AotNet.Compiled.ModeGuard.Same(this, {flag.Access}, {Literals.String(flag.Name)}, {Literals.String(member)});");
        }
        string arguments = string.Join(", ", call.Arguments);
        for (int v = 0; v < model.Variants.Count - 1; v++)
        {
            var values = model.Variants[v].Values;
            string test = string.Join(" && ", model.Conditions.Select((c, k) => values[k] ? c.Access : "!" + c.Access));
            writer.Open($"if ({test})");
            writer.Line($"return this.{names[v]}({arguments});");
            writer.Close();
        }
        writer.Line($"return this.{names[names.Count - 1]}({arguments});");
        writer.Close();
    }

    /// <summary>InTraining, InEvaluationWithResidual, …: a variant's name from the values it was compiled for.</summary>
    static string VariantName(IReadOnlyList<RuntimeCondition> conditions, IReadOnlyList<bool> values) => string.Concat(conditions.Select((c, k) =>
        c.IsTraining ? (values[k] ? "InTraining" : "InEvaluation") : (values[k] ? "With" : "Without") + char.ToUpperInvariant(c.Name[0]) + c.Name.Substring(1)));

    /// <summary>A generated method's parameters, as declared and as passed on.</summary>
    internal sealed record Signature(IReadOnlyList<string> Declarations, IReadOnlyList<string> Arguments);

    /// <param name="moduleParameter">A first parameter, such as "global::Block block", for a loop body that reads its element's parameters through it.</param>
    /// <param name="keepResults">Returns results in tensors the model keeps, as a step does, rather than new ones: a loop body run inside a step.</param>
    internal static Signature EmitMethod(SourceWriter writer, ModelSpec model, GraphSpec graph, MethodPlan plan, bool training, string member, string accessibility, string? note,
        string? moduleParameter = null, bool keepResults = false)
    {
        string field = "_" + char.ToLowerInvariant(member[0]) + member.Substring(1) + "Workspace";
        var reads = new HashSet<int>(plan.Steps.SelectMany(s => s.Reads));

        writer.Line($"private global::AotNet.Compiled.Workspace? {field};");
        string guard = "_" + char.ToLowerInvariant(member[0]) + member.Substring(1) + "Running";
        if (training)
        {
            writer.Line($"private int {guard};");
        }
        string? unread = training && model.IsModule ? "_" + char.ToLowerInvariant(member[0]) + member.Substring(1) + "UnreadParameters" : null;
        if (unread is not null)
        {
            writer.Line($"private global::AotNet.Parameter[]? {unread};");
        }
        var kept = new List<string>();
        for (int k = training ? 1 : 0; (training || keepResults) && k < plan.AllOutputs.Count; k++)
        {
            // A step hands back its other results in tensors it keeps, so it allocates nothing per call.
            string name = ValueNames.ResultName(graph, k);
            kept.Add($"_{char.ToLowerInvariant(member[0])}{member.Substring(1)}{char.ToUpperInvariant(name[0])}{name.Substring(1)}");
            writer.Line($"private {ResultType(plan.Nodes[plan.AllOutputs[k]])}? {kept[kept.Count - 1]};");
        }
        writer.Line();
        var parameters = graph.Inputs.Select(i => (i.IsLabels ? "global::AotNet.Labels " : "global::AotNet.Tensor ") + i.Code).ToList();
        var arguments = graph.Inputs.Select(i => i.Code).ToList();
        if (moduleParameter is not null)
        {
            parameters.Insert(0, moduleParameter);
            arguments.Insert(0, graph.ModuleParameter!);
        }
        var gradientParameters = new Dictionary<int, string>();
        var names = new ValueNames(graph, plan, training, gradientParameters);
        if (training)
        {
            foreach (var index in Enumerable.Range(0, graph.Inputs.Count).Where(index => graph.Inputs[index].RequiresGrad))
            {
                parameters.Add($"global::AotNet.Tensor {gradientParameters[index]}");
                arguments.Add(gradientParameters[index]);
            }
            parameters.Add($"global::AotNet.GradientWrite {names.GradientWrite} = default");
            arguments.Add(names.GradientWrite!);
        }
        WriteDocumentation(writer, model with { Graph = graph }, plan, names.GradientWrite, note);
        writer.Open($"{accessibility} {ReturnType(graph, training)} {member}({string.Join(", ", parameters)})");
        // A step writes the model's gradients, so a second thread is refused; inference takes a
        // workspace of its own when another call holds the cached one.
        if (training)
        {
            writer.Line($"global::AotNet.Compiled.CallGuard.Enter(ref this.{guard}, {Literals.String(member)});");
        }
        else
        {
            writer.Line($"var {names.Workspace} = global::AotNet.Compiled.Workspace.Take(ref this.{field}, {plan.Memory.SlotCount});");
        }
        writer.Open("try");

        WriteInputChecks(writer, graph, training || plan.Nodes[plan.Output].Shape.Rank == 0 ? member : null, member);
        foreach (var requirement in graph.Requirements)
        {
            writer.Line($"{Guard}Equal({requirement.Left.Code}, {requirement.Right.Code}, {Literals.String(requirement.Left.Code)}, {Literals.String(requirement.Right.Code)}, {Literals.String(requirement.Message)});");
        }
        WriteParameterChecks(writer, graph, plan, reads);
        WriteExternalSpans(writer, graph, plan, reads, training, names, gradientParameters, kept, keepResults);
        if (unread is not null)
        {
            writer.Line("// Overwriting, the step sets every gradient of the model: those of parameters it never reads become zero.");
            string written = string.Join(", ", plan.Gradients.Where(g => g.Target == GradientTarget.Parameter).Select(g => graph.Parameters[g.Index].Access));
            writer.Open($"if (!{names.GradientWrite}.Accumulates)");
            writer.Open($"foreach (var {names.Unread} in this.{unread} ??= global::AotNet.Compiled.StepParameters.NotIn(this{(written.Length > 0 ? ", " + written : "")}))");
            writer.Line($"{names.Unread}.Grad.Span.Clear();");
            writer.Close();
            writer.Close();
        }

        if (training)
        {
            writer.Line($"var {names.Workspace} = this.{field} ??= new global::AotNet.Compiled.Workspace({plan.Memory.SlotCount});");
        }
        for (int slot = 0; slot < plan.Memory.SlotCount; slot++)
        {
            writer.Line($"int {names.SlotSize(slot)} = {MaxOf(plan.Memory.SlotLengths[slot])};");
        }
        writer.Line();

        var steps = new StepEmitter(plan.Nodes, names, writer, names.Index, member,
            plan.Gradients.Select(g => g.Node), training ? $"{names.GradientWrite}.Accumulates" : null, inStep: training);
        foreach (var step in plan.Steps)
        {
            var declarations = new List<string>();
            foreach (int value in step is ViewStep ? [] : step.Writes)
            {
                var storage = plan.Memory.Storage[value];
                if (storage.Kind != StorageKind.Slot)
                {
                    continue;
                }
                var type = plan.Nodes[value].Outputs[0];
                string slot = $"{names.Workspace}.Slot";
                string size = names.SlotSize(storage.Slot);
                string span = type.DType == DType.Float32
                    ? $"{slot}({storage.Slot}, {size})" + (plan.Memory.SlotLengths[storage.Slot].Count == 1 ? "" : $".Slice(0, {type.Shape.LengthCode})")
                    : $"{slot}<{type.ElementCode}>({storage.Slot}, {size}, {type.Shape.LengthCode})";
                declarations.Add($"global::System.Span<{type.ElementCode}> {names.Code(value)} = {span};");
            }
            steps.Emit(step, declarations);
        }
        writer.Line();
        var returned = Enumerable.Range(0, plan.AllOutputs.Count).Select(k => training && k == 0 ? $"{names.Code(plan.Output)}[0]" : names.ResultTensor(k)).ToList();
        writer.Line(returned.Count == 1 ? $"return {returned[0]};" : $"return ({string.Join(", ", returned)});");
        writer.Close();
        writer.Open("finally");
        writer.Line(training
            ? $"global::AotNet.Compiled.CallGuard.Exit(ref this.{guard});"
            : $"global::AotNet.Compiled.Workspace.Return(ref this.{field}, {names.Workspace});");
        writer.Close();
        writer.Close();
        steps.WriteLoopTypes(writer);
        return new Signature(parameters, arguments);
    }

    /// <param name="gradientWrite">The training step's <c>GradientWrite</c> parameter; null for inference.</param>
    /// <param name="note">A line the summary ends with: what a variant was compiled for, or which loop a body belongs to.</param>
    static void WriteDocumentation(SourceWriter writer, ModelSpec model, MethodPlan plan, string? gradientWrite, string? note)
    {
        var graph = model.Graph;
        bool training = gradientWrite is not null;
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
            if (parameters.Count + inputs.Count > 0)
            {
                writer.Line($"/// With <paramref name=\"{gradientWrite!.TrimStart('@')}\"/> = <c>GradientWrite.Accumulate(scale)</c> it adds scale × each gradient to what it holds instead.");
            }
        }
        else
        {
            writer.Line($"/// Inference path for <see cref=\"{model.MethodName}\"/>: the same math, fused, keeping no activations.");
        }
        if (note is not null)
        {
            writer.Line($"/// {note}");
        }
        writer.Line("/// </summary>");
        writer.Line("/// <remarks>");
        writer.Line($"/// Workspace: {plan.Memory.SlotCount} buffer(s) of {string.Join(", ", plan.Memory.SlotLengths.Select(l => l.Count == 1 ? l[0].Code : $"max({string.Join(", ", l.Select(d => d.Code))})"))} floats, allocated on the first call for each size and then reused.");
        writer.Line(training
            ? "/// One call at a time per model: a second thread calling it while it runs gets an InvalidOperationException."
            : "/// Safe to call from several threads at once; concurrent calls each use a workspace of their own.");
        writer.Line("/// </remarks>");
    }

    /// <summary>Checks every input against its declared shape and binds symbolic dimensions from the first input that has them.</summary>
    /// <remarks>With <paramref name="refuseEmpty"/> (the method's name), a symbol bound to 0 is refused: a loss over an empty batch is undefined.</remarks>
    static void WriteInputChecks(SourceWriter writer, GraphSpec graph, string? refuseEmpty, string member)
    {
        var boundBy = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            string declared = Literals.String(input.Shape.ToString());
            string name = Literals.String(input.Name);
            if (input.IsLabels && input.Shape.Rank == 1)
            {
                var dim = input.Shape[0];
                if (dim.IsConstant)
                {
                    writer.Line($"{Guard}Length({input.Code}, {dim.Code}, {name}, {declared});");
                }
                else if (boundBy.TryGetValue(dim.Symbol!, out string? source))
                {
                    writer.Line($"{Guard}Symbol({input.Code}, {dim.Symbol}, {Literals.String(dim.Symbol!)}, {Literals.String(source)}, {name}, {declared});");
                }
                else
                {
                    writer.Line($"{Guard}Length({input.Code}, {input.Code}?.Length ?? 0, {name}, {declared});");
                    writer.Line($"int {dim.Symbol} = {input.Code}.Length;");
                    boundBy[dim.Symbol!] = input.Name;
                    WriteNotEmpty(writer, dim.Symbol!, input.Name, refuseEmpty);
                }
                continue;
            }
            writer.Line($"{Guard}Rank({input.Code}, {input.Shape.Rank}, {name}, {declared});");
            for (int axis = 0; axis < input.Shape.Rank; axis++)
            {
                var dim = input.Shape[axis];
                if (dim.IsConstant)
                {
                    writer.Line($"{Guard}Dim({input.Code}, {axis}, {dim.Code}, {name}, {declared});");
                }
                else if (boundBy.TryGetValue(dim.Symbol!, out string? source))
                {
                    writer.Line($"{Guard}Symbol({input.Code}, {axis}, {dim.Symbol}, {Literals.String(dim.Symbol!)}, {Literals.String(source)}, {name}, {declared});");
                }
                else
                {
                    writer.Line($"int {dim.Symbol} = {input.Code}.Dim({axis});");
                    boundBy[dim.Symbol!] = input.Name;
                    WriteNotEmpty(writer, dim.Symbol!, input.Name, refuseEmpty);
                }
            }
        }
        foreach (var absent in graph.Absent)
        {
            writer.Line($"{Guard}Absent({absent.Access}, {Literals.String(absent.Name)}, {Literals.String(member)});");
        }
        foreach (var size in graph.Sizes)
        {
            // A module size its construction leaves to run time: read it, or check it against the input that already gave it.
            if (boundBy.ContainsKey(size.Symbol))
            {
                writer.Line($"{Guard}Equal({size.Symbol}, {size.Access}, {Literals.String(size.Symbol)}, {Literals.String(size.Name)}, {Literals.String($"the input's size {size.Symbol} must equal the module's {size.Name}")});");
            }
            else
            {
                writer.Line($"int {size.Symbol} = {size.Access};");
            }
        }
    }

    static void WriteNotEmpty(SourceWriter writer, string symbol, string input, string? method)
    {
        if (method is not null)
        {
            writer.Line($"{Guard}NotEmpty({symbol}, {Literals.String(symbol)}, {Literals.String(input)}, {Literals.String(method)});");
        }
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

    static void WriteExternalSpans(SourceWriter writer, GraphSpec graph, MethodPlan plan, HashSet<int> reads, bool training, ValueNames names,
        Dictionary<int, string> gradientParameters, IReadOnlyList<string> kept, bool keepResults)
    {
        foreach (var node in plan.Nodes.Where(n => n.Op.IsLeaf && reads.Contains(n.Id)))
        {
            var leaf = (LeafAttributes)node.Attributes;
            if (leaf.Kind == LeafKind.Parameter)
            {
                var parameter = graph.Parameters[leaf.Index];
                writer.Line($"global::System.ReadOnlySpan<float> {names.Code(node.Id)} = {parameter.Access}.Value.Span;");
            }
            else
            {
                var input = graph.Inputs[leaf.Index];
                string element = input.IsLabels ? "int" : "float";
                writer.Line($"global::System.ReadOnlySpan<{element}> {names.Code(node.Id)} = {input.Code}.Span;");
            }
        }
        foreach (var gradient in plan.Gradients)
        {
            string local = names.Code(gradient.Node);
            if (gradient.Target == GradientTarget.Parameter)
            {
                writer.Line($"global::System.Span<float> {local} = {graph.Parameters[gradient.Index].Access}.Grad.Span;");
            }
            else
            {
                var input = graph.Inputs[gradient.Index];
                string parameter = gradientParameters[gradient.Index];
                writer.Line($"{Guard}Gradient({parameter}, {input.Code}, {Literals.String(parameter.TrimStart('@'))});");
                writer.Line($"global::System.Span<float> {local} = {parameter}.Span;");
            }
        }
        for (int k = training ? 1 : 0; k < plan.AllOutputs.Count; k++)
        {
            int output = plan.AllOutputs[k];
            string dims = string.Join(", ", plan.Nodes[output].Shape.Dims.Select(d => d.Code));
            var type = plan.Nodes[output].Outputs[0];
            writer.Line(training || keepResults
                ? $"var {names.ResultTensor(k)} = global::AotNet.Compiled.Workspace.Result(ref this.{kept[training ? k - 1 : k]}{(dims.Length > 0 ? ", " + dims : "")});"
                : type.DType == DType.Int32
                    ? $"var {names.ResultTensor(k)} = new global::AotNet.Labels(new int[{type.Shape.LengthCode}], new int[] {{ {dims} }});"
                    : $"var {names.ResultTensor(k)} = new global::AotNet.Tensor({dims});");
            writer.Line($"global::System.Span<{type.ElementCode}> {names.Code(output)} = {names.ResultTensor(k)}.Span;");
        }
    }

    /// <summary>The member's return type: a tensor or a loss, or a tuple of them with the user's element names.</summary>
    static string ReturnType(GraphSpec graph, bool training)
    {
        var outputs = graph.AllOutputs.ToList();
        string first = training ? "float" : ResultType(graph.Nodes[outputs[0]]);
        if (!graph.ReturnsTuple)
        {
            return first;
        }
        var elements = graph.OutputNames.Select((name, k) => $"{(k == 0 ? first : ResultType(graph.Nodes[outputs[k]]))} {name}");
        return $"({string.Join(", ", elements)})";
    }

    /// <summary>The runtime type that holds a result: labels for integer indices, else a tensor.</summary>
    static string ResultType(Node node) => node.DType == DType.Int32 ? "global::AotNet.Labels" : "global::AotNet.Tensor";

    static string MaxOf(IReadOnlyList<Dim> lengths) => lengths.Count == 1
        ? lengths[0].Code
        : lengths.Skip(1).Aggregate(lengths[0].Code, (max, next) => $"global::System.Math.Max({max}, {next.Code})");
}
