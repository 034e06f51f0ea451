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
        if (output.Shape.Length.IsOne)
        {
            void Single(string assign)
            {
                // Without the loop, the per-element locals still need a scope of their own: another
                // fused step of one element may declare the same local.
                if (shared.Count > 0)
                {
                    _writer.Block();
                }
                WriteBody(_writer, step, members, locals, shared, "0", assign);
                if (shared.Count > 0)
                {
                    _writer.Close();
                }
            }
            if (Accumulate is { } accumulate)
            {
                _writer.Open($"if ({accumulate})");
                Single("+=");
                _writer.Close();
                _writer.Open("else");
                Single("=");
                _writer.Close();
                return;
            }
            Single("=");
            return;
        }
        if (output.Shape.Length.IsConstant && output.Shape.Length.Value < ParallelThreshold)
        {
            WriteLoops(_writer, step, members, locals, shared, "0", output.Shape.LengthCode, Accumulate, scoped: true);
            return;
        }
        EmitSplittable(step, members, locals, shared);
    }

    /// <summary>
    /// Fused loops at least this long may be split across cores: a copy of
    /// <c>AotNet.Compiled.ParallelLoop.Threshold</c>, so that a loop of a fixed, shorter length is
    /// written inline, as it would run anyway.
    /// </summary>
    internal const int ParallelThreshold = 1 << 16;

    readonly List<SourceWriter> _loopTypes = [];
    readonly HashSet<string> _loopTypeNames = new(System.StringComparer.Ordinal);
    string? _accumulateField;

    /// <summary>
    /// A loop that may be long becomes a <c>ref struct</c> holding the spans and sizes it reads,
    /// which <c>ParallelLoop.For</c> runs in one piece or splits across cores; the struct is
    /// written after the method (<see cref="WriteLoopTypes"/>). Generated code cannot take
    /// pointers, and a struct run through a generic call allocates nothing.
    /// </summary>
    void EmitSplittable(FusedStep step, Dictionary<int, Node> members, Dictionary<int, string> locals, IReadOnlyList<Node> shared)
    {
        var output = _nodes[step.Output];
        var (start, end) = _names.LoopRange;
        // A member without inputs (a size, the gradient's scale, a float field of the model) is one
        // value for every element: the method computes it once and the loop reads it from a field.
        // A literal constant stays in the code.
        var scalars = step.Members.Where(m => m.Inputs.Count == 0 && m.Attributes is not ConstantAttributes)
            .ToDictionary(m => m.Id, m => _names.LoopLocal(m.Id, m));
        string? accumulate = Accumulate is null ? null : _accumulateField ??= _names.Fresh("accumulate");

        var body = new SourceWriter();
        WriteLoops(body, step, members, locals, shared, start, end, accumulate, scoped: false, scalars);
        string text = body.ToString();

        var fields = new List<(string Type, string Name, string Value)>
        {
            ($"global::System.Span<{output.Outputs[0].ElementCode}>", Code(step.Output), Code(step.Output)),
        };
        foreach (int input in step.Members.SelectMany(m => m.Inputs).Where(id => !members.ContainsKey(id)).Distinct())
        {
            fields.Add(($"global::System.ReadOnlySpan<{_nodes[input].Outputs[0].ElementCode}>", Code(input), Code(input)));
        }
        var symbols = step.Members.SelectMany(m => m.Inputs.Select(id => _nodes[id]).Append(m))
            .SelectMany(n => n.Shape.Dims.SelectMany(d => d.Symbols).Concat(n.Attributes is SizeAttributes size ? size.Size.Symbols : []))
            .Distinct().Where(symbol => Mentions(text, symbol));
        fields.AddRange(symbols.Select(symbol => ("int", symbol, symbol)));
        fields.AddRange(scalars.Select(scalar => ("float", scalar.Value, members[scalar.Key].Op.Scalar!([], members[scalar.Key].Attributes))));
        if (accumulate is not null)
        {
            fields.Add(("bool", accumulate, Accumulate!));
        }

        string bare = Code(step.Output).TrimStart('@');
        // LossStepDFc2Loop for dFc2 in LossStep; two values whose names differ only in case or underscores get a number.
        string baseName = _method + string.Concat(bare.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1))) + "Loop";
        string typeName = baseName;
        for (int suffix = 2; !_loopTypeNames.Add(typeName); suffix++)
        {
            typeName = baseName + suffix;
        }
        string local = _names.Fresh(bare + "Loop");
        string initializer = string.Join(", ", fields.Select(f => $"{f.Name} = {f.Value}"));
        if (initializer.Length <= 100)
        {
            _writer.Line($"var {local} = new {typeName} {{ {initializer} }};");
        }
        else
        {
            _writer.Line($"var {local} = new {typeName}");
            _writer.Block();
            foreach (var field in fields)
            {
                _writer.Line($"{field.Name} = {field.Value},");
            }
            _writer.Close(";");
        }
        _writer.Line($"global::AotNet.Compiled.ParallelLoop.For({output.Shape.LengthCode}, ref {local});");

        var type = new SourceWriter();
        type.Line($"// The loop of {Display(step.Output)} in {_method}: a struct, so that ParallelLoop can run pieces of a long one on other cores.");
        type.Open($"private ref struct {typeName} : global::AotNet.Compiled.IElementLoop");
        foreach (var field in fields)
        {
            type.Line($"public {field.Type} {field.Name};");
        }
        type.Line();
        type.Open($"public readonly void Run(int {start}, int {end})");
        type.Append(body);
        type.Close();
        type.Close();
        _loopTypes.Add(type);
    }

    /// <summary>Writes the structs of the method's splittable loops, each after a blank line.</summary>
    public void WriteLoopTypes(SourceWriter writer)
    {
        foreach (var type in _loopTypes)
        {
            writer.Line();
            writer.Append(type);
        }
    }

    /// <summary>Whether <paramref name="identifier"/> occurs in <paramref name="code"/> as a name of its own, not as part of another.</summary>
    static bool Mentions(string code, string identifier) =>
        System.Text.RegularExpressions.Regex.IsMatch(code, $@"(?<![\w@.]){System.Text.RegularExpressions.Regex.Escape(identifier.TrimStart('@'))}(?!\w)");

    /// <summary>
    /// The loop over elements [<paramref name="start"/>, <paramref name="end"/>): a vector loop for
    /// each width and the scalar tail when the chain allows, else the scalar loop alone. A
    /// gradient the caller may accumulate gets both loops, so neither tests the mode per element.
    /// </summary>
    /// <param name="scoped">Gives the loop index a block of its own, as a loop inside a method needs.</param>
    /// <param name="scalars">Members read from a float field rather than computed per element.</param>
    void WriteLoops(SourceWriter w, FusedStep step, Dictionary<int, Node> members, Dictionary<int, string> locals, IReadOnlyList<Node> shared,
        string start, string end, string? accumulate, bool scoped, IReadOnlyDictionary<int, string>? scalars = null)
    {
        var output = _nodes[step.Output];
        var scalarLocals = scalars is null ? locals : locals.Concat(scalars).ToDictionary(p => p.Key, p => p.Value);
        bool vectors = FusedVectors.CanVectorize(step, members, _nodes);
        void Loop(string assign)
        {
            if (!vectors)
            {
                w.Open($"for (int {Index} = {start}; {Index} < {end}; {Index}++)");
                WriteBody(w, step, members, scalarLocals, shared, Index, assign);
                w.Close();
                return;
            }
            // The widest vectors the JIT runs well, then the elements left over one at a time; the
            // JIT drops the branch it does not take.
            if (scoped)
            {
                w.Block();
            }
            w.Line($"int {Index} = {start};");
            string condition = "if";
            foreach (string vector in FusedVectors.Widths)
            {
                w.Open($"{condition} ({vector}.IsHardwareAccelerated)");
                w.Open($"for (; {Index} <= {end} - {vector}<float>.Count; {Index} += {vector}<float>.Count)");
                var code = new FusedVectors(_nodes, _names, members, locals, output.Shape, vector, Index, scalars);
                foreach (var member in shared)
                {
                    w.Line($"var {locals[member.Id]} = {code.Of(member.Id, top: true)};");
                }
                w.Line(code.Store(step.Output, assign));
                w.Close();
                w.Close();
                condition = "else if";
            }
            w.Open($"for (; {Index} < {end}; {Index}++)");
            WriteBody(w, step, members, scalarLocals, shared, Index, assign);
            w.Close();
            if (scoped)
            {
                w.Close();
            }
        }
        if (accumulate is not null)
        {
            w.Open($"if ({accumulate})");
            Loop("+=");
            w.Close();
            w.Open("else");
            Loop("=");
            w.Close();
            return;
        }
        Loop("=");
    }

    /// <summary>One element: the shared values into their locals, then the output.</summary>
    void WriteBody(SourceWriter w, FusedStep step, Dictionary<int, Node> members, IReadOnlyDictionary<int, string> locals, IReadOnlyList<Node> shared, string index, string assign)
    {
        var shape = _nodes[step.Output].Shape;
        foreach (var member in shared)
        {
            w.Line($"var {locals[member.Id]} = {CodeOf(member.Id, members, locals, shape, index, top: true)};");
        }
        w.Line($"{Code(step.Output)}[{index}] {assign} {CodeOf(step.Output, members, locals, shape, index, top: true)};");
    }

    string CodeOf(int id, Dictionary<int, Node> members, IReadOnlyDictionary<int, string> locals, Shape loopShape, string index, IReadOnlyList<int>? operandAxes = null, bool top = false)
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
