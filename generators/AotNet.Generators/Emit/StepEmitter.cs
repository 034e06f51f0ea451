using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// Emits one step: a comment with the math it implements, then the kernel call or the fused
/// loop. What each op computes comes from its table entry; this class only lays it out. The
/// comment is written in the user's names and points at the user's line.
/// </summary>
internal sealed class StepEmitter : IKernelWriter
{
    readonly IReadOnlyList<Node> _nodes;
    readonly ValueNames _names;
    readonly SourceWriter _writer;

    readonly string _method;

    readonly HashSet<int> _gradients;
    readonly string? _accumulates;

    /// <param name="gradients">The values that are gradients the caller receives.</param>
    /// <param name="accumulates">The bool expression that says whether the caller asked to add into those gradients; null for a method that writes none.</param>
    public StepEmitter(IReadOnlyList<Node> nodes, ValueNames names, SourceWriter writer, string index, string method,
        IEnumerable<int>? gradients = null, string? accumulates = null, bool inStep = false)
    {
        InStep = inStep;
        _nodes = nodes;
        _names = names;
        _writer = writer;
        Index = index;
        _method = method;
        _gradients = new HashSet<int>(gradients ?? []);
        _accumulates = accumulates;
    }

    string _math = "";

    Step? _step;
    IReadOnlyList<string> _declarations = [];

    public string Index { get; }

    public bool InStep { get; }

    public int? Bias => (_step as KernelStep)?.Bias;

    public string? Activation => (_step as KernelStep)?.Activation;

    public string? Accumulate => _step is not null && _gradients.Contains(_step.Output) ? _accumulates : null;

    /// <summary>Emits <paramref name="step"/>; <paramref name="declarations"/> declare its outputs right after the comment.</summary>
    public void Emit(Step step, IReadOnlyList<string> declarations)
    {
        _step = step;
        _declarations = declarations;
        switch (step)
        {
            case FusedStep fused:
                EmitFused(fused);
                break;
            case ViewStep view:
                Comment($"{Display(view.Node.Input0)} viewed as {view.Node.Shape}", "a view: no data moves");
                _writer.Line($"var {Code(view.Output)} = {Code(view.Node.Input0)};");
                return;
            case KernelStep kernel:
                var rule = kernel.Node.Op.Kernel ?? throw new System.InvalidOperationException($"Internal: {kernel.Node.Op} has no kernel rule.");
                if (Accumulate is not null && !GradientStores.CanAdd(kernel))
                {
                    throw new System.InvalidOperationException($"Internal: the gradient {Display(kernel.Output)} is written by {kernel.Node.Op}, which cannot add to it.");
                }
                rule(this, kernel.Node);
                break;
        }
        WriteAnomalyChecks(step);
    }

    /// <summary>
    /// Checks each float the step wrote, when anomaly detection is on, naming the math and the
    /// user's line. A fused loop computes several values without storing them, so its check
    /// names each of them, in order, with its line.
    /// </summary>
    void WriteAnomalyChecks(Step step)
    {
        var output = _nodes[step.Output];
        string computes = step is FusedStep fused && fused.Members.Count(m => !m.Op.Recomputable) > 1
            ? string.Join("; then ", fused.Members.Where(m => !m.Op.Recomputable).Select(Describe))
            : Describe(output, _math);
        foreach (int value in step.Writes.Where(v => _nodes[v].DType == DType.Float32))
        {
            _writer.Line($"global::AotNet.Compiled.Anomaly.Check({Code(value)}, {Literals.String(_method)}, {Literals.String(Display(value))}, {Literals.String(computes)});");
        }
    }

    string Describe(Node node) => Describe(node, node.Op.Math(node.Inputs.Select(Display).ToList(), node.Attributes));

    string Describe(Node node, string math) => $"'{Display(node.Id)}' = {math}" + (node.Source is { } spot ? $" at {spot.Short}" : "");

    void EmitFused(FusedStep step)
    {
        var members = step.Members.ToDictionary(m => m.Id);
        var output = _nodes[step.Output];
        int work = step.Members.Count(m => !m.Op.Recomputable);
        string how = work > 1 ? $"{work} elementwise ops, one loop"
            : output.Name == "seed" ? "the loss's own gradient"
            : "elementwise";
        // A value the loop uses twice (recomputed forward values often are) is computed once per
        // element into a local, rather than written out at each use.
        var uses = step.Members.SelectMany(m => m.Inputs.Distinct()).Where(members.ContainsKey).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var shared = step.Members.Where(m => m.Id != step.Output && !m.Op.Recomputable && uses.TryGetValue(m.Id, out int count) && count > 1)
            .OrderBy(m => m.Id).ToList();
        var locals = shared.ToDictionary(m => m.Id, m => _names.LoopLocal(m.Id, m));
        Comment(MathOf(step.Output, members, locals), how);
        foreach (var member in shared)
        {
            _writer.Line($"//   where {locals[member.Id].TrimStart('@')} = {MathOf(member.Id, members, locals, top: true)}");
        }
        // A single element needs no loop.
        bool single = output.Shape.Length.IsOne;
        string index = single ? "0" : Index;
        string length = output.Shape.LengthCode;
        void Body(string assign)
        {
            foreach (var member in shared)
            {
                _writer.Line($"var {locals[member.Id]} = {CodeOf(member.Id, members, locals, output.Shape, index, top: true)};");
            }
            _writer.Line($"{Code(step.Output)}[{index}] {assign} {CodeOf(step.Output, members, locals, output.Shape, index, top: true)};");
        }
        void Loop(string assign)
        {
            if (single)
            {
                // Without the loop, the per-element locals still need a scope of their own: another
                // fused step of one element may declare the same local.
                if (shared.Count > 0)
                {
                    _writer.Block();
                    Body(assign);
                    _writer.Close();
                }
                else
                {
                    Body(assign);
                }
                return;
            }
            if (!FusedVectors.CanVectorize(step, members, _nodes))
            {
                _writer.Open($"for (int {Index} = 0; {Index} < {length}; {Index}++)");
                Body(assign);
                _writer.Close();
                return;
            }
            // The widest vectors the JIT runs well, then the elements left over one at a time; the
            // JIT drops the branch it does not take.
            _writer.Block();
            _writer.Line($"int {Index} = 0;");
            string condition = "if";
            foreach (string vector in FusedVectors.Widths)
            {
                _writer.Open($"{condition} ({vector}.IsHardwareAccelerated)");
                _writer.Open($"for (; {Index} <= {length} - {vector}<float>.Count; {Index} += {vector}<float>.Count)");
                var code = new FusedVectors(_nodes, _names, members, locals, output.Shape, vector, Index);
                foreach (var member in shared)
                {
                    _writer.Line($"var {locals[member.Id]} = {code.Of(member.Id, top: true)};");
                }
                _writer.Line(code.Store(step.Output, assign));
                _writer.Close();
                _writer.Close();
                condition = "else if";
            }
            _writer.Open($"for (; {Index} < {length}; {Index}++)");
            Body(assign);
            _writer.Close();
            _writer.Close();
        }
        // A gradient the caller may accumulate gets both loops, so neither tests the mode per element.
        if (Accumulate is { } accumulate)
        {
            _writer.Open($"if ({accumulate})");
            Loop("+=");
            _writer.Close();
            _writer.Open("else");
            Loop("=");
            _writer.Close();
            return;
        }
        Loop("=");
    }

    string CodeOf(int id, Dictionary<int, Node> members, Dictionary<int, string> locals, Shape loopShape, string index, IReadOnlyList<int>? operandAxes = null, bool top = false)
    {
        if (!top && locals.TryGetValue(id, out var local))
        {
            return local;
        }
        if (!members.TryGetValue(id, out var node))
        {
            return $"{Code(id)}[{BroadcastIndex.For(_nodes[id].Shape, loopShape, index, operandAxes)}]";
        }
        var operands = node.Inputs.Select((input, slot) => CodeOf(input, members, locals, loopShape, index, node.Op.OperandAxes?.Invoke(node, slot))).ToList();
        return node.Op.Scalar!(operands, node.Attributes);
    }

    string MathOf(int id, Dictionary<int, Node> members, Dictionary<int, string>? locals = null, bool top = false)
    {
        if (!top && locals is not null && locals.TryGetValue(id, out var local))
        {
            return local.TrimStart('@');
        }
        if (!members.TryGetValue(id, out var node))
        {
            return Display(id);
        }
        return node.Op.Math(node.Inputs.Select(input => MathOf(input, members, locals)).ToList(), node.Attributes);
    }

    public void Comment(string math, string how)
    {
        var output = _nodes[_step!.Output];
        _math = math;
        string source = output.Source is { } spot ? $"   ({spot.Short})" : "";
        _writer.Line($"// {Display(_step.Output)} = {math}   {output.Shape}, {how}{source}");
        foreach (string declaration in _declarations)
        {
            _writer.Line(declaration);
        }
        _declarations = [];
    }

    public string Output(int index) => Code(_step!.Writes[index]);

    public Node NodeOf(int value) => _nodes[value];

    public string Code(int id) => _names.Code(id);

    public string Display(int id) => _names.Display(id);

    public void Line(string line) => _writer.Line(line);

    public void Open(string line) => _writer.Open(line);

    public void Close() => _writer.Close();
}
