using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// The C# local that holds each materialised value, and the name comments use for it. Locals
/// take the user's variable names where there are some, so the emitted code reads like the
/// method it came from; all of them are made unique against the method's parameters, its
/// shape symbols and each other.
/// </summary>
internal sealed class ValueNames
{
    readonly Dictionary<int, string> _code = new();
    readonly Dictionary<int, string> _display = new();
    readonly List<string> _slotSizes = [];
    readonly Dictionary<int, string> _names = new();
    readonly Dictionary<int, string> _resultTensors = new();

    public ValueNames(GraphSpec graph, MethodPlan plan, bool training, Dictionary<int, string> gradientParameters)
    {
        var locals = MethodLocals(graph);
        _locals = locals;
        if (training)
        {
            // First, so that it is the name GradientWriteParameter gave the planner.
            GradientWrite = locals.Unique(GradientWriteName);
            for (int index = 0; index < graph.Inputs.Count; index++)
            {
                if (graph.Inputs[index].RequiresGrad)
                {
                    gradientParameters[index] = locals.Unique(graph.Inputs[index].Name + "Grad");
                }
            }
        }
        Index = locals.Unique("i");
        Workspace = locals.Unique("workspace");
        Result = locals.Unique("result");
        Unread = locals.Unique("unread");
        for (int slot = 0; slot < plan.Memory.SlotCount; slot++)
        {
            _slotSizes.Add(locals.Unique("slot" + slot));
        }

        foreach (var gradient in plan.Gradients)
        {
            string of = gradient.Target == GradientTarget.Parameter ? graph.Parameters[gradient.Index].Name : graph.Inputs[gradient.Index].Name;
            _display[gradient.Node] = "∂loss/∂" + of;
        }
        foreach (var node in plan.Nodes)
        {
            if (node.Attributes is LeafAttributes leaf)
            {
                _display[node.Id] = leaf.Kind == LeafKind.Parameter ? graph.Parameters[leaf.Index].Name : graph.Inputs[leaf.Index].Name;
            }
        }
        foreach (var node in plan.Nodes.Where(n => n.Name is not null))
        {
            // Values a loop computes without storing them still have the user's names in comments and reports.
            _names[node.Id] = node.Name!;
        }
        var gradientKeys = plan.Gradients.ToDictionary(Planner.GradientKey);
        var resultIndex = Enumerable.Range(0, plan.AllOutputs.Count).ToDictionary(k => Planner.ResultKey(k), k => k);
        var views = new HashSet<int>(plan.Steps.OfType<ViewStep>().Select(v => v.Output));
        foreach (var node in plan.Nodes)
        {
            if (!plan.Memory.Storage.TryGetValue(node.Id, out var storage))
            {
                continue;
            }
            if (storage.Kind == StorageKind.Slot || views.Contains(node.Id))
            {
                _code[node.Id] = locals.Unique(Names.Identifier(node.Name ?? "t" + node.Id));
            }
            else if (resultIndex.TryGetValue(storage.Key, out int k))
            {
                string name = ResultName(graph, k);
                _resultTensors[k] = k == 0 && !graph.ReturnsTuple ? Result : locals.Unique(name);
                _code[node.Id] = locals.Unique(name + "Values");
                _display[node.Id] = name;
            }
            else if (gradientKeys.TryGetValue(storage.Key, out var gradient))
            {
                _code[node.Id] = locals.Unique(gradient.Target == GradientTarget.Parameter
                    ? Names.Identifier(graph.Parameters[gradient.Index].Name) + "_grad"
                    : graph.Inputs[gradient.Index].Name + "GradValues");
            }
            else if (node.Attributes is LeafAttributes leaf)
            {
                _code[node.Id] = locals.Unique(leaf.Kind == LeafKind.Parameter
                    ? Names.Identifier(graph.Parameters[leaf.Index].Name)
                    : graph.Inputs[leaf.Index].Name + "Values");
            }
        }
    }

    const string GradientWriteName = "gradients";

    static LocalNames MethodLocals(GraphSpec graph) =>
        new(graph.Inputs.Select(i => i.Name).Concat(graph.Inputs.SelectMany(i => i.Shape.Dims).SelectMany(d => d.Symbols)).Concat(graph.Sizes.Select(s => s.Symbol)).Concat(graph.ModuleParameter is { } module ? [module.TrimStart('@')] : []));

    /// <summary>The training step's <c>GradientWrite</c> parameter, known before the method is planned because the backward seed reads it.</summary>
    public static string GradientWriteParameter(GraphSpec graph) => MethodLocals(graph).Unique(GradientWriteName);

    /// <summary>The training step's <c>GradientWrite</c> parameter; null for inference.</summary>
    public string? GradientWrite { get; }

    /// <summary>The loop index.</summary>
    public string Index { get; }

    /// <summary>The local that holds the method's workspace.</summary>
    public string Workspace { get; }

    readonly LocalNames _locals;

    /// <summary>A new local for a value a fused loop computes once per element and uses twice.</summary>
    public string LoopLocal(int id, Node node) => _loopLocals.TryGetValue(id, out var name) ? name
        : _loopLocals[id] = _locals.Unique(Names.Identifier(node.Name ?? "t" + id) + "_");

    readonly Dictionary<int, string> _loopLocals = new();

    /// <summary>
    /// A new identifier for the method's code to use, such as the local that holds a loop it
    /// hands to <c>ParallelLoop</c>; taken after every value's name, so no value is renamed for it.
    /// </summary>
    public string Fresh(string desired) => _locals.Unique(desired);

    /// <summary>The parameters of a split loop's <c>Run(start, end)</c>, shared by every such loop of the method.</summary>
    public (string Start, string End) LoopRange => _loopRange ??= (_locals.Unique("start"), _locals.Unique("end"));

    (string Start, string End)? _loopRange;

    /// <summary>The loop variable over parameters a step does not read.</summary>
    public string Unread { get; }

    /// <summary>The tensor an inference path returns.</summary>
    public string Result { get; }

    /// <summary>The tensor local of returned value <paramref name="k"/> (the first is <see cref="Result"/> unless the method returns a tuple).</summary>
    public string ResultTensor(int k) => _resultTensors[k];

    /// <summary>The name of returned value <paramref name="k"/>: <c>result</c>, or the tuple element's own name with a lower-case first letter.</summary>
    public static string ResultName(GraphSpec graph, int k)
    {
        if (!graph.ReturnsTuple)
        {
            return "result";
        }
        string name = graph.OutputNames[k];
        return name == $"Item{k + 1}" ? $"result{k + 1}" : char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>The local that holds the planned size of workspace slot <paramref name="slot"/>.</summary>
    public string SlotSize(int slot) => _slotSizes[slot];

    public string Code(int id) => _code[id];

    public string Display(int id) => _display.TryGetValue(id, out var name) ? name
        : _code.TryGetValue(id, out var code) ? code.TrimStart('@')
        : _names.TryGetValue(id, out var local) ? local
        : "t" + id;
}
