using System.Collections.Generic;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// The C# local that holds each materialised value, and the name comments use for it. Locals
/// take the user's variable names where there are some, so the emitted code reads like the
/// method it came from.
/// </summary>
internal sealed class ValueNames
{
    readonly Dictionary<int, string> _code = new();
    readonly Dictionary<int, string> _display = new();
    readonly HashSet<string> _taken;

    public ValueNames(GraphSpec graph, MethodPlan plan, IEnumerable<string> reserved)
    {
        _taken = new HashSet<string>(reserved, System.StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            if (!plan.Memory.Storage.TryGetValue(node.Id, out var storage))
            {
                continue;
            }
            if (storage.Kind == StorageKind.External)
            {
                _code[node.Id] = storage.Expression;
                _taken.Add(storage.Expression);
                if (storage.Expression == Planner.ResultValues)
                {
                    _display[node.Id] = "result";
                }
            }
        }
        foreach (var gradient in plan.Gradients)
        {
            string of = gradient.Target == Autodiff.GradientTarget.Parameter
                ? graph.Parameters[gradient.Index].Name
                : graph.Inputs[gradient.Index].Name;
            _display[gradient.Node] = "∂loss/∂" + of;
        }
        foreach (var node in plan.Nodes)
        {
            if (node.Attributes is LeafAttributes leaf)
            {
                _display[node.Id] = leaf.Kind == LeafKind.Parameter ? graph.Parameters[leaf.Index].Name : graph.Inputs[leaf.Index].Name;
            }
            if (plan.Memory.Storage.TryGetValue(node.Id, out var storage) && storage.Kind == StorageKind.Slot)
            {
                _code[node.Id] = Unique(Names.Identifier(node.Name ?? "t" + node.Id));
            }
        }
    }

    public string Code(int id) => _code[id];

    public string Display(int id) => _display.TryGetValue(id, out var name) ? name : _code.TryGetValue(id, out var code) ? code : "t" + id;

    string Unique(string name)
    {
        string candidate = name;
        for (int suffix = 2; !_taken.Add(candidate); suffix++)
        {
            candidate = name + suffix;
        }
        return candidate;
    }
}
